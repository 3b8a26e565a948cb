/**
 * The step cache and stage-failure Lambdas of local pipelines: what the generated state machine
 * calls besides SageMaker and the approval Lambda. Registered wherever pipeline executions run or
 * are resumed or redriven (`run`, `serve`, `resume`), under the names whose ARNs fill the
 * definition's `${CacheFunctionArn}` and `${StageFailureFunctionArn}`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import { packageFile } from '../core/package-root.js';
import { cacheLocation, createCacheHandler, stageFailureHandler } from '../lambda/index.js';
import { localCacheStorage } from './local-cache-storage.js';
import type { LocalServices } from './local-services.js';

export const CACHE_FUNCTION = 'mlops-cache';
export const STAGE_FAILURE_FUNCTION = 'mlops-stage-failure';
/** The bucket local deployments use (localDeployment in local-deployment.ts). */
export const LOCAL_BUCKET = 'mlops-local';

export function attachPipelineFunctions(services: LocalServices, clock: Clock): void {
  const runtime = localRuntimeProfile(services.home);
  services.lambda.register(
    CACHE_FUNCTION,
    createCacheHandler({
      s3: localCacheStorage(services.s3),
      location: (pipeline) => cacheLocation(LOCAL_BUCKET, pipeline),
      now: () => clock.now(),
      runtimeProfile: runtime,
    }) as never,
  );
  services.lambda.register(STAGE_FAILURE_FUNCTION, stageFailureHandler as never);
}

/** The ARNs the definition's function placeholders take locally. */
export function pipelineFunctionArns(services: LocalServices): { CacheFunctionArn: string; StageFailureFunctionArn: string } {
  return { CacheFunctionArn: services.lambda.arn(CACHE_FUNCTION), StageFailureFunctionArn: services.lambda.arn(STAGE_FAILURE_FUNCTION) };
}

/**
 * What an image runs as locally, for the cache key: without Docker an image only selects a runtime
 * profile, fixed by this version of mlops-sfn (the built-in profiles) and the home's runtimes.json.
 */
function localRuntimeProfile(home: string): (image: string) => string {
  const version = readOr(packageFile('package.json'), (t) => String((JSON.parse(t) as { version?: unknown }).version));
  const runtimes = readOr(join(home, 'runtimes.json'), (t) => createHash('sha256').update(t).digest('hex'));
  return (image) => JSON.stringify({ image, mlopsSfn: version, runtimesJson: runtimes });
}

function readOr(path: string, f: (text: string) => string): string {
  try {
    return f(readFileSync(path, 'utf8'));
  } catch {
    return 'none';
  }
}
