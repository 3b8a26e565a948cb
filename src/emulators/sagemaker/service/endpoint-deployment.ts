/**
 * What an InService endpoint runs, kept on its record: each variant and the model it serves, as
 * they were when the endpoint went InService. Model servers live only as long as the process that
 * started them; with this any later process (`invoke`, `serve`) starts the same servers again,
 * even after the endpoint configuration or model has been deleted (AWS keeps such an endpoint
 * serving too). `id` changes with every deployment, so a process can tell that its servers are
 * out of date after another process updated the endpoint.
 */
import type { Json, JsonObject } from '../../../core/json.js';
import { isJsonObject } from '../../../core/json.js';
import type { ModelSpec } from '../contracts.js';

export interface DeployedVariant {
  variantName: string;
  model: ModelSpec;
}

export interface DeploymentSnapshot {
  id: string;
  endpointConfigName: string;
  variants: DeployedVariant[];
  /** The endpoint configuration's DataCaptureConfig, as it was deployed. */
  dataCapture?: JsonObject;
}

export function snapshotToJson(s: DeploymentSnapshot): JsonObject {
  return {
    Id: s.id,
    EndpointConfigName: s.endpointConfigName,
    Variants: s.variants.map((v) => ({ VariantName: v.variantName, Model: modelToJson(v.model) })),
    ...(s.dataCapture !== undefined ? { DataCaptureConfig: s.dataCapture } : {}),
  };
}

export function snapshotFromJson(value: Json | undefined): DeploymentSnapshot | undefined {
  if (!isJsonObject(value) || typeof value['Id'] !== 'string' || !Array.isArray(value['Variants'])) return undefined;
  const variants: DeployedVariant[] = [];
  for (const v of value['Variants']) {
    if (!isJsonObject(v) || typeof v['VariantName'] !== 'string') return undefined;
    const model = modelFromJson(v['Model']);
    if (!model) return undefined;
    variants.push({ variantName: v['VariantName'], model });
  }
  const snapshot: DeploymentSnapshot = { id: value['Id'], endpointConfigName: typeof value['EndpointConfigName'] === 'string' ? value['EndpointConfigName'] : '', variants };
  if (isJsonObject(value['DataCaptureConfig'])) snapshot.dataCapture = value['DataCaptureConfig'];
  return snapshot;
}

function modelToJson(m: ModelSpec): JsonObject {
  return {
    Name: m.name,
    Image: m.image,
    Environment: { ...m.environment },
    ...(m.modelDataUrl !== undefined ? { ModelDataUrl: m.modelDataUrl } : {}),
    ...(m.networkIsolation === true ? { EnableNetworkIsolation: true } : {}),
  };
}

function modelFromJson(value: Json | undefined): ModelSpec | undefined {
  if (!isJsonObject(value) || typeof value['Name'] !== 'string' || typeof value['Image'] !== 'string') return undefined;
  const env = isJsonObject(value['Environment']) ? value['Environment'] : {};
  const spec: ModelSpec = {
    name: value['Name'],
    image: value['Image'],
    environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
  };
  if (typeof value['ModelDataUrl'] === 'string') spec.modelDataUrl = value['ModelDataUrl'];
  if (value['EnableNetworkIsolation'] === true) spec.networkIsolation = true;
  return spec;
}
