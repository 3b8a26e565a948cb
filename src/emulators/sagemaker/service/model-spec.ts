import type { JsonObject } from '../../../core/json.js';
import { isJsonObject } from '../../../core/json.js';
import type { ModelSpec } from '../contracts.js';

/** The container a local model server runs: PrimaryContainer, or the first of Containers. */
export function modelSpecOf(model: JsonObject): ModelSpec {
  const first = isJsonObject(model['PrimaryContainer'])
    ? model['PrimaryContainer']
    : Array.isArray(model['Containers']) && isJsonObject(model['Containers'][0])
      ? model['Containers'][0]
      : {};
  const env = isJsonObject(first['Environment']) ? first['Environment'] : {};
  const spec: ModelSpec = {
    name: model['ModelName'] as string,
    image: typeof first['Image'] === 'string' ? first['Image'] : '',
    environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
  };
  if (typeof first['ModelDataUrl'] === 'string') spec.modelDataUrl = first['ModelDataUrl'];
  if (model['EnableNetworkIsolation'] === true) spec.networkIsolation = true;
  return spec;
}
