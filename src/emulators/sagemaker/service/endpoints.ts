/**
 * Models, endpoint configurations and endpoints. Endpoints are real local model servers started
 * through Hosting: Creating → InService | Failed; UpdateEndpoint keeps the old servers answering
 * until the new ones pass /ping (a failed update leaves the endpoint InService on its old config);
 * DeleteEndpoint stops them.
 *
 * Model servers live as long as the process that started them, while the endpoint's record lives
 * in the shared store: `ensureServing` starts an InService endpoint's servers in any process from
 * the deployment recorded with it (and catches up when another process has updated it since).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Json, JsonObject } from '../../../core/json.js';
import { CaptureConfigError, captureSettings, captureSummary, CaptureWriter, type CapturedExchange, type CaptureSettings } from '../capture/index.js';
import type { ModelServerHandle, ModelSpec } from '../contracts.js';
import { endpointNotFound, SageMakerRuntimeError } from '../runtime-errors.js';
import type { ServiceCore, StoredRecord } from './core.js';
import { endpointConfigDescription, modelDescription } from './describe-shapes.js';
import { snapshotFromJson, snapshotToJson, type DeployedVariant, type DeploymentSnapshot } from './endpoint-deployment.js';
import { validationError } from './errors.js';
import { listPage, summary, type ListItem } from './listing.js';
import { modelSpecOf } from './model-spec.js';
import { currentOwner, ownerToJson } from '../../../core/process-owner.js';
import * as shapes from './request-shapes.js';
import { validateRequest } from './validate.js';

/** Statuses an endpoint moves on from by itself. */
const IN_PROGRESS = new Set(['Creating', 'Updating', 'Deleting', 'SystemUpdating', 'RollingBack']);

/** Statuses in which an endpoint answers InvokeEndpoint (an update keeps the old variants serving). */
const SERVING = new Set(['InService', 'Updating', 'SystemUpdating']);

interface Deployment {
  /** The recorded deployment these servers run (see endpoint-deployment.ts). */
  id: string;
  variants: Map<string, { handle: ModelServerHandle; model: ModelSpec }>;
  /** The deployed DataCaptureConfig, when capture was configured. */
  capture?: CaptureSettings;
}

/** What adoptInServiceEndpoints did for one endpoint. */
export interface AdoptedEndpoint {
  name: string;
  url?: string;
  /** Why its model servers could not start here. */
  error?: string;
}

export class EndpointOperations {
  private readonly deployments = new Map<string, Deployment>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Per endpoint, the tail of its deploy/adopt/stop chain: servers change by one operation at a time. */
  private readonly chains = new Map<string, Promise<unknown>>();
  private deploySeq = 0;
  private readonly captures: CaptureWriter;

  constructor(private readonly core: ServiceCore) {
    this.captures = new CaptureWriter({ s3: core.opts.s3, ...core.opts.capture });
  }

  // ---- models ---------------------------------------------------------------------------------

  createModel(request: Json): JsonObject {
    const req = validateRequest(shapes.CreateModel, request);
    const name = req['ModelName'] as string;
    if (req['PrimaryContainer'] === undefined && req['Containers'] === undefined) {
      throw validationError('Either PrimaryContainer or Containers must be specified.');
    }
    if (req['PrimaryContainer'] !== undefined && req['Containers'] !== undefined) {
      throw validationError('PrimaryContainer and Containers cannot both be specified.');
    }
    const arn = this.core.arn('model', name);
    if (!this.core.insert('model', name, modelDescription(req, arn, this.core.now()), tagList(req))) {
      throw validationError(`Cannot create already existing model "${arn}".`);
    }
    return { ModelArn: arn };
  }

  describeModel(request: Json): JsonObject {
    const name = validateRequest(shapes.byName('ModelName', shapes.modelName), request)['ModelName'] as string;
    const row = this.core.get('model', name);
    if (!row) throw validationError(`Could not find model "${this.core.arn('model', name)}".`);
    return row.stored.Description;
  }

  deleteModel(request: Json): JsonObject {
    const name = validateRequest(shapes.byName('ModelName', shapes.modelName), request)['ModelName'] as string;
    if (!this.core.get('model', name)) throw validationError(`Could not find model "${this.core.arn('model', name)}".`);
    this.core.remove('model', name);
    return {};
  }

  listModels(request: Json): JsonObject {
    const req = validateRequest(shapes.ListModels, request);
    const { page, nextToken } = listPage(this.items('model', ['ModelName', 'ModelArn', 'CreationTime']), req, { sortOrder: 'Descending' });
    return { Models: page, ...(nextToken ? { NextToken: nextToken } : {}) };
  }

  // ---- endpoint configurations -----------------------------------------------------------------

  createEndpointConfig(request: Json): JsonObject {
    const req = validateRequest(shapes.CreateEndpointConfig, request);
    const name = req['EndpointConfigName'] as string;
    const variants = req['ProductionVariants'] as JsonObject[];
    const seen = new Set<string>();
    for (const v of variants) {
      const vn = v['VariantName'] as string;
      if (seen.has(vn.toLowerCase())) throw validationError(`The variant name(s) [${vn}] are duplicated.`);
      seen.add(vn.toLowerCase());
      if (v['ServerlessConfig'] === undefined && (v['InstanceType'] === undefined || v['InitialInstanceCount'] === undefined)) {
        throw validationError(`Production variant ${vn} must specify InstanceType and InitialInstanceCount, or ServerlessConfig.`);
      }
      const model = v['ModelName'];
      if (typeof model !== 'string') throw validationError(`Production variant ${vn} must specify a ModelName.`);
      if (!this.core.get('model', model)) throw validationError(`Could not find model "${this.core.arn('model', model)}".`);
    }
    const capture = req['DataCaptureConfig'];
    if (capture !== undefined) {
      try {
        captureSettings(capture as JsonObject);
      } catch (e) {
        if (e instanceof CaptureConfigError) throw validationError(e.message);
        throw e;
      }
    }
    const arn = this.core.arn('endpoint-config', name);
    if (!this.core.insert('endpoint-config', name, endpointConfigDescription(req, arn, this.core.now()), tagList(req))) {
      throw validationError(`Cannot create already existing endpoint configuration "${arn}".`);
    }
    return { EndpointConfigArn: arn };
  }

  describeEndpointConfig(request: Json): JsonObject {
    const name = this.configName(request);
    const row = this.core.get('endpoint-config', name);
    if (!row) throw this.configNotFound(name);
    return row.stored.Description;
  }

  deleteEndpointConfig(request: Json): JsonObject {
    const name = this.configName(request);
    if (!this.core.get('endpoint-config', name)) throw this.configNotFound(name);
    this.core.remove('endpoint-config', name);
    return {};
  }

  listEndpointConfigs(request: Json): JsonObject {
    const req = validateRequest(shapes.ListEndpointConfigs, request);
    const items = this.items('endpoint-config', ['EndpointConfigName', 'EndpointConfigArn', 'CreationTime']);
    const { page, nextToken } = listPage(items, req, { sortOrder: 'Descending' });
    return { EndpointConfigs: page, ...(nextToken ? { NextToken: nextToken } : {}) };
  }

  // ---- endpoints ----------------------------------------------------------------------------------

  createEndpoint(request: Json): JsonObject {
    const req = validateRequest(shapes.CreateEndpoint, request);
    const name = req['EndpointName'] as string;
    const configName = req['EndpointConfigName'] as string;
    const arn = this.core.arn('endpoint', name);
    if (this.core.get('endpoint', name)) throw validationError(`Cannot create already existing endpoint "${arn}".`);
    const config = this.core.get('endpoint-config', configName);
    if (!config) throw this.configNotFound(configName);
    const now = this.core.now();
    const description: JsonObject = {
      EndpointName: name,
      EndpointArn: arn,
      EndpointConfigName: config.name,
      EndpointStatus: 'Creating',
      CreationTime: now,
      LastModifiedTime: now,
    };
    if (!this.core.insert('endpoint', name, description, tagList(req), 'Creating', { owner: ownerToJson(currentOwner()) })) {
      throw validationError(`Cannot create already existing endpoint "${arn}".`);
    }
    this.track(this.deploy(name, config.stored.Description, 'create'));
    return { EndpointArn: arn };
  }

  updateEndpoint(request: Json): JsonObject {
    const req = validateRequest(shapes.UpdateEndpoint, request);
    const name = req['EndpointName'] as string;
    const row = this.core.get('endpoint', name);
    const arn = this.core.arn('endpoint', name);
    if (!row) throw validationError(`Could not find endpoint "${arn}".`);
    const status = row.stored.Description['EndpointStatus'] as string;
    if (IN_PROGRESS.has(status)) throw validationError(`Cannot update in-progress endpoint "${arn}".`);
    if (status === 'Failed') throw validationError(`Cannot update failed endpoint "${arn}".`);
    const config = this.core.get('endpoint-config', req['EndpointConfigName'] as string);
    if (!config) throw this.configNotFound(req['EndpointConfigName'] as string);
    this.core.updateRecord(
      'endpoint',
      name,
      (r) => ({ ...r, Owner: ownerToJson(currentOwner()), Description: { ...r.Description, EndpointStatus: 'Updating', LastModifiedTime: this.core.now() } }),
      () => 'Updating',
    );
    this.track(this.deploy(name, config.stored.Description, 'update'));
    return { EndpointArn: arn };
  }

  describeEndpoint(request: Json): JsonObject {
    const name = this.endpointName(request);
    const row = this.core.get('endpoint', name);
    if (!row) throw validationError(`Could not find endpoint "${this.core.arn('endpoint', name)}".`);
    return row.stored.Description;
  }

  deleteEndpoint(request: Json): JsonObject {
    const name = this.endpointName(request);
    const row = this.core.get('endpoint', name);
    const arn = this.core.arn('endpoint', name);
    if (!row) throw validationError(`Could not find endpoint "${arn}".`);
    const status = row.stored.Description['EndpointStatus'] as string;
    if (IN_PROGRESS.has(status)) throw validationError(`Cannot delete in-progress endpoint "${arn}".`);
    this.core.updateRecord(
      'endpoint',
      name,
      (r) => ({ ...r, Owner: ownerToJson(currentOwner()), Description: { ...r.Description, EndpointStatus: 'Deleting', LastModifiedTime: this.core.now() } }),
      () => 'Deleting',
    );
    this.track(
      (async () => {
        await this.stopServers(name);
        this.core.remove('endpoint', name);
      })(),
    );
    return {};
  }

  listEndpoints(request: Json): JsonObject {
    const req = validateRequest(shapes.ListEndpoints, request);
    const items = this.items('endpoint', ['EndpointName', 'EndpointArn', 'CreationTime', 'LastModifiedTime', 'EndpointStatus']);
    const { page, nextToken } = listPage(items, req, { sortOrder: 'Descending', pageSize: 10 });
    return { Endpoints: page, ...(nextToken ? { NextToken: nextToken } : {}) };
  }

  /** The URL of the model server behind an endpoint's variant (the first variant by default). */
  serverUrl(endpointName: string, variantName?: string): string | undefined {
    const dep = this.deployments.get(endpointName.toLowerCase());
    if (!dep) return undefined;
    const v = variantName === undefined ? dep.variants.values().next().value : dep.variants.get(variantName);
    return v?.handle.url;
  }

  /**
   * Records one answered InvokeEndpoint call of an endpoint this process serves, when its deployed
   * DataCaptureConfig captures it (sampled; written in the background by the capture writer).
   * Returns whether it was kept.
   */
  capture(endpointName: string, variantName: string, exchange: CapturedExchange): boolean {
    const dep = this.deployments.get(endpointName.toLowerCase());
    if (!dep?.capture) return false;
    const endpoint = this.core.get('endpoint', endpointName)?.name ?? endpointName;
    return this.captures.add(endpoint, variantName, dep.capture, exchange);
  }

  /** Writes the captured invocations not yet in S3 (they are written every second anyway). */
  flushCaptures(): Promise<void> {
    return this.captures.flush();
  }

  /**
   * Makes sure this process runs the model servers of an endpoint that serves requests (InService,
   * or Updating on its previous deployment) and resolves with the URL of its first variant (or the
   * named one). Servers started by another process are started again here from the recorded
   * deployment, without touching the endpoint's status or times; servers out of date (another
   * process updated the endpoint) are brought up to date, blue/green. Rejects with SageMaker
   * runtime's ValidationError for an unknown endpoint or one that does not serve in its status.
   */
  ensureServing(name: string, variantName?: string): Promise<string> {
    const key = name.toLowerCase();
    // Refuse at once what does not serve, rather than after a deployment queued in this process.
    const now = this.core.get('endpoint', name);
    if (now && !SERVING.has(now.stored.Description['EndpointStatus'] as string)) return Promise.reject(this.notServing(now.name, now.stored.Description));
    return this.serial(key, async () => {
      const row = this.core.get('endpoint', name);
      if (!row) {
        // Deleted by another process: what this process still runs for it goes too.
        await this.stopServersNow(key);
        throw endpointNotFound(name, this.core.opts.location);
      }
      const d = row.stored.Description;
      const status = d['EndpointStatus'] as string;
      if (!SERVING.has(status)) throw this.notServing(name, d);
      const snapshot = this.recordedDeployment(row.name, row.stored);
      const local = this.deployments.get(key);
      if (!local || local.id !== snapshot.id) {
        try {
          this.deployments.set(key, withCapture(await this.realize(row.name, snapshot.variants, local, snapshot.id), snapshot.dataCapture));
        } catch (e) {
          throw new SageMakerRuntimeError(
            'ServiceUnavailable',
            `Endpoint ${row.name} could not start its model server in this process: ${describeStartFailure(e)}`,
          );
        }
      }
      const url = this.serverUrl(name, variantName);
      if (url === undefined) throw new SageMakerRuntimeError('ValidationError', `Endpoint ${row.name} has no production variant named ${variantName}.`);
      return url;
    });
  }

  /** Starts the model servers of every endpoint that serves requests (for `serve`); one failure does not stop the others. */
  async adoptServing(): Promise<AdoptedEndpoint[]> {
    const out: AdoptedEndpoint[] = [];
    for (const row of this.core.store.resources.list('endpoint')) {
      if (!SERVING.has(row.status ?? '')) continue;
      try {
        out.push({ name: row.name, url: await this.ensureServing(row.name) });
      } catch (e) {
        out.push({ name: row.name, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return out;
  }

  /** Resolves once the endpoint is no longer Creating/Updating/Deleting (undefined once deleted). */
  waitFor(name: string, signal?: AbortSignal): Promise<JsonObject | undefined> {
    return this.core.waitUntil('endpoint', name, (d) => !IN_PROGRESS.has(d['EndpointStatus'] as string), signal);
  }

  /** Stops every model server and waits for deployments in flight. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    await Promise.allSettled([...this.deployments.keys()].map((k) => this.stopServers(k)));
    await this.captures.close();
  }

  // ---- deployment --------------------------------------------------------------------------------

  private deploy(name: string, config: JsonObject, mode: 'create' | 'update'): Promise<void> {
    return this.serial(name.toLowerCase(), () => this.deployNow(name, config, mode));
  }

  private async deployNow(name: string, config: JsonObject, mode: 'create' | 'update'): Promise<void> {
    await new Promise((r) => setImmediate(r));
    const key = name.toLowerCase();
    const id = randomUUID();
    let next: Deployment;
    let wanted: DeployedVariant[];
    try {
      const variants = (config['ProductionVariants'] as JsonObject[]) ?? [];
      wanted = variants.map((v) => {
        const modelRow = this.core.get('model', v['ModelName'] as string);
        if (!modelRow) throw new Error(`Could not find model "${this.core.arn('model', v['ModelName'] as string)}".`);
        return { variantName: v['VariantName'] as string, model: modelSpecOf(modelRow.stored.Description) };
      });
      next = await this.realize(name, wanted, this.deployments.get(key), id);
    } catch (e) {
      const reason = (e instanceof Error ? e.message : String(e)).slice(0, 1024);
      this.core.update(
        'endpoint',
        name,
        (d) =>
          mode === 'create'
            ? { ...d, EndpointStatus: 'Failed', FailureReason: reason, LastModifiedTime: this.core.now() }
            : { ...d, EndpointStatus: 'InService', FailureReason: reason, LastModifiedTime: this.core.now() },
        (d) => d['EndpointStatus'] as string,
      );
      return;
    }
    const dataCapture = config['DataCaptureConfig'] as JsonObject | undefined;
    this.deployments.set(key, withCapture(next, dataCapture));
    const at = this.core.now();
    const variants = (config['ProductionVariants'] as JsonObject[]) ?? [];
    const snapshot: DeploymentSnapshot = { id, endpointConfigName: config['EndpointConfigName'] as string, variants: wanted };
    if (dataCapture !== undefined) snapshot.dataCapture = dataCapture;
    this.core.updateRecord(
      'endpoint',
      name,
      (r) => {
        const out: JsonObject = { ...r.Description, EndpointConfigName: config['EndpointConfigName']!, ProductionVariants: variants.map((v) => variantSummary(v, next, at)) };
        if (dataCapture !== undefined) out['DataCaptureConfig'] = captureSummary(dataCapture);
        else delete out['DataCaptureConfig'];
        out['EndpointStatus'] = 'InService';
        delete out['FailureReason'];
        out['LastModifiedTime'] = at;
        return { ...r, Description: reorder(out), Deployment: snapshotToJson(snapshot) };
      },
      () => 'InService',
    );
  }

  /**
   * Brings this process's servers for an endpoint to `wanted`: variants it already runs swap their
   * model blue/green, new ones start, and those no longer wanted stop once the rest answer. On
   * failure the servers it started stop and the current ones keep serving.
   */
  private async realize(name: string, wanted: DeployedVariant[], current: Deployment | undefined, id: string): Promise<Deployment> {
    const hosting = this.core.opts.hosting;
    if (!hosting) throw new Error('this local setup has no model hosting, so endpoints cannot start');
    const next: Deployment = { id, variants: new Map() };
    const started: ModelServerHandle[] = [];
    const seq = ++this.deploySeq;
    try {
      for (const { variantName, model } of wanted) {
        const old = current?.variants.get(variantName);
        if (old) {
          await old.handle.update(model);
          next.variants.set(variantName, { handle: old.handle, model });
        } else {
          const { home } = this.core.opts;
          const handle = await hosting.startServer(model, {
            home,
            // The pid keeps two processes serving the same endpoint out of each other's folders.
            workDir: join(home, 'sagemaker', 'endpoints', name, `${variantName}-p${process.pid}-${seq}`),
            logFile: join(home, 'logs', `${name}-${variantName}.log`),
            s3: this.core.opts.s3,
            region: this.core.opts.location.region,
          });
          started.push(handle);
          next.variants.set(variantName, { handle, model });
        }
      }
    } catch (e) {
      await Promise.allSettled(started.map((h) => h.stop()));
      throw e;
    }
    // Variants the new deployment no longer has stop only once the new ones answer.
    for (const [variant, v] of current?.variants ?? []) if (!next.variants.has(variant)) await v.handle.stop().catch(() => undefined);
    return next;
  }

  /** The deployment recorded with an endpoint; endpoints recorded before it was kept fall back to their configuration and models. */
  private recordedDeployment(name: string, stored: StoredRecord): DeploymentSnapshot {
    const recorded = snapshotFromJson(stored.Deployment);
    if (recorded) return recorded;
    const d = stored.Description;
    const configName = d['EndpointConfigName'] as string;
    const config = this.core.get('endpoint-config', configName);
    if (!config) throw new SageMakerRuntimeError('ServiceUnavailable', `Endpoint ${name} cannot be served here: its endpoint configuration ${configName} no longer exists.`);
    const variants = ((config.stored.Description['ProductionVariants'] as JsonObject[]) ?? []).map((v) => {
      const model = this.core.get('model', v['ModelName'] as string);
      if (!model) throw new SageMakerRuntimeError('ServiceUnavailable', `Endpoint ${name} cannot be served here: its model ${String(v['ModelName'])} no longer exists.`);
      return { variantName: v['VariantName'] as string, model: modelSpecOf(model.stored.Description) };
    });
    const snapshot: DeploymentSnapshot = { id: `config:${configName}:${String(d['LastModifiedTime'])}`, endpointConfigName: configName, variants };
    const dataCapture = config.stored.Description['DataCaptureConfig'];
    if (dataCapture !== undefined && dataCapture !== null && typeof dataCapture === 'object' && !Array.isArray(dataCapture)) snapshot.dataCapture = dataCapture;
    return snapshot;
  }

  private notServing(name: string, d: JsonObject): SageMakerRuntimeError {
    const status = d['EndpointStatus'] as string;
    const why = status === 'Failed' && typeof d['FailureReason'] === 'string' ? ` (${d['FailureReason']})` : '';
    return new SageMakerRuntimeError(
      'ValidationError',
      `Endpoint ${name} of account ${this.core.opts.location.accountId} is ${status}${why}; only an InService endpoint can be invoked.`,
    );
  }

  private stopServers(key: string): Promise<void> {
    return this.serial(key.toLowerCase(), () => this.stopServersNow(key));
  }

  private async stopServersNow(key: string): Promise<void> {
    const dep = this.deployments.get(key.toLowerCase());
    this.deployments.delete(key.toLowerCase());
    if (dep) await Promise.allSettled([...dep.variants.values()].map((v) => v.handle.stop()));
  }

  /** Runs `fn` after every earlier deploy/adopt/stop of the same endpoint in this process. */
  private serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.chains.get(key) ?? Promise.resolve()).then(fn);
    const tail = run.catch(() => undefined);
    this.chains.set(key, tail);
    void tail.then(() => {
      if (this.chains.get(key) === tail) this.chains.delete(key);
    });
    return run;
  }

  private track(p: Promise<void>): void {
    const release = this.core.opts.holdClock?.();
    const q = p.catch(() => undefined).finally(() => {
      release?.();
      this.inFlight.delete(q);
    });
    this.inFlight.add(q);
  }

  private items(kind: 'model' | 'endpoint-config' | 'endpoint', keys: string[]): ListItem[] {
    return this.core.store.resources.list(kind).map((row) => {
      const d = (row.record['Description'] ?? {}) as JsonObject;
      return { name: row.name, created: row.createdAt, modified: (d['LastModifiedTime'] as number) ?? row.updatedAt, status: row.status ?? '', summary: summary(d, keys) };
    });
  }

  private configName(request: Json): string {
    return validateRequest(shapes.byName('EndpointConfigName', shapes.endpointName), request)['EndpointConfigName'] as string;
  }

  private endpointName(request: Json): string {
    return validateRequest(shapes.byName('EndpointName', shapes.endpointName), request)['EndpointName'] as string;
  }

  private configNotFound(name: string) {
    return validationError(`Could not find endpoint configuration "${this.core.arn('endpoint-config', name)}".`);
  }
}

/** A deployment with its capture settings (none when the configuration had no usable DataCaptureConfig). */
function withCapture(dep: Deployment, config: JsonObject | undefined): Deployment {
  if (config === undefined) {
    delete dep.capture;
    return dep;
  }
  try {
    dep.capture = captureSettings(config);
  } catch {
    delete dep.capture; // checked by CreateEndpointConfig; an older record's bad config captures nothing
  }
  return dep;
}

function tagList(req: JsonObject): Json[] {
  return Array.isArray(req['Tags']) ? req['Tags'] : [];
}

function variantSummary(v: JsonObject, dep: Deployment, at: number): JsonObject {
  const deployed = dep.variants.get(v['VariantName'] as string);
  const count = (v['InitialInstanceCount'] as number | undefined) ?? 1;
  const weight = (v['InitialVariantWeight'] as number | undefined) ?? 1.0;
  const image = deployed?.model.image ?? '';
  return {
    VariantName: v['VariantName']!,
    DeployedImages: [{ SpecifiedImage: image, ResolvedImage: image, ResolutionTime: at }],
    CurrentWeight: weight,
    DesiredWeight: weight,
    CurrentInstanceCount: count,
    DesiredInstanceCount: count,
  };
}

/** DescribeEndpoint's member order. */
function reorder(d: JsonObject): JsonObject {
  const order = ['EndpointName', 'EndpointArn', 'EndpointConfigName', 'ProductionVariants', 'DataCaptureConfig', 'EndpointStatus', 'FailureReason', 'CreationTime', 'LastModifiedTime'];
  const out: JsonObject = {};
  for (const k of order) if (d[k] !== undefined) out[k] = d[k]!;
  for (const [k, v] of Object.entries(d)) if (!(k in out)) out[k] = v;
  return out;
}

function describeStartFailure(e: unknown): string {
  if (e && typeof e === 'object' && typeof (e as { describe?: unknown }).describe === 'function') return (e as { describe(): string }).describe();
  return e instanceof Error ? e.message : String(e);
}

export function isEndpointSettled(d: JsonObject): boolean {
  return !IN_PROGRESS.has(d['EndpointStatus'] as string);
}

