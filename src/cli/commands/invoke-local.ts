/**
 * How `mlops-sfn invoke` reaches an endpoint of a local home:
 *  - warm: a running `mlops-sfn serve` for the home writes `<home>/serve.json` = {"pid", "url"} and
 *    answers SageMaker runtime's `POST /endpoints/<name>/invocations`; when that file names a live
 *    process, the request goes there. A stale file (its process ended, or nothing answers) is ignored.
 *  - cold: open the home's local services, start the endpoint's model server in this process
 *    (`ensureEndpointServing`), invoke it, and stop it again.
 */
import type { Command } from 'commander';
import { openLocalServices } from '../../engine/local-services.js';
import { answerText, markEndpointLogs, modelErrorCause } from '../../engine/model-error-cause.js';
import { runningServe } from '../../engine/serve-file.js';
import { UserError } from '../../core/errors.js';
import type { InvokeRequest, InvokeResult } from '../../emulators/sagemaker/contracts.js';
import {
  EndpointUnreachableError,
  invokeEndpoint,
  ModelErrorAnswer,
  readInvokeBody,
  registerInvokeCommand,
  type InvokeIo,
  type InvokeOptions,
} from './invoke.js';

/** The URL of the home's running `serve`, or undefined when there is none. */
export function liveServeUrl(home: string): string | undefined {
  return runningServe(home)?.url;
}

export async function invokeLocalEndpoint(home: string, endpoint: string, opts: InvokeOptions, io: InvokeIo): Promise<number> {
  // Read once: standard input cannot be read again if the warm route turns out to be stale.
  const body = await readInvokeBody(opts.body, io.stdin);
  const marks = markEndpointLogs(home, endpoint);
  try {
    return await invokeEither(home, endpoint, body, opts, io);
  } catch (e) {
    if (e instanceof ModelErrorAnswer) throw await explained(endpoint, e, marks);
    throw e;
  }
}

/**
 * A model error as a local user needs it: the Python exception from the model server's log and
 * where that log is, in place of the container's HTML page and a CloudWatch link.
 */
async function explained(endpoint: string, e: ModelErrorAnswer, marks: ReturnType<typeof markEndpointLogs>): Promise<UserError> {
  const cause = await modelErrorCause(marks);
  const { status, message } = e.original;
  const why = cause.exception ?? (message !== undefined ? answerText(message) : e.message);
  const where = cause.logFile ? `; model server log: ${cause.logFile} (mlops-sfn logs ${endpoint})` : '';
  return new UserError(`ModelError from endpoint ${endpoint}: the model server answered ${status ?? 'an error'}: ${why}${where}`, 'MODEL_ERROR', 1);
}

async function invokeEither(home: string, endpoint: string, body: Buffer, opts: InvokeOptions, io: InvokeIo): Promise<number> {
  const serveUrl = liveServeUrl(home);
  if (serveUrl !== undefined) {
    try {
      return await invokeEndpoint(endpoint, body, opts, async () => ({ runtimeApi: serveUrl }), io);
    } catch (e) {
      if (!(e instanceof EndpointUnreachableError)) throw e;
      // The pid now belongs to another process, or serve is shutting down: start the endpoint here.
    }
  }
  const services = openLocalServices(home);
  try {
    // The model server is called directly, so this process records the call for data capture;
    // closing the services writes it.
    const capture = (req: InvokeRequest, res: InvokeResult, at: number): void => {
      const variants = services.sagemaker.describeEndpoint({ EndpointName: endpoint })['ProductionVariants'];
      const first = Array.isArray(variants) && variants[0] && typeof variants[0] === 'object' && !Array.isArray(variants[0]) ? variants[0]['VariantName'] : undefined;
      services.sagemaker.captureInvocation(endpoint, typeof first === 'string' ? first : 'AllTraffic', {
        request: { body: req.body, ...(req.contentType !== undefined ? { contentType: req.contentType } : {}) },
        response: { body: res.body, contentType: res.contentType },
        ...(req.inferenceId !== undefined ? { inferenceId: req.inferenceId } : {}),
        at,
      });
    };
    return await invokeEndpoint(endpoint, body, opts, (name) => services.sagemaker.ensureEndpointServing(name), io, services.location, capture);
  } finally {
    await services.close();
  }
}

export function registerLocalInvokeCommand(program: Command, getHome: () => string): void {
  registerInvokeCommand(program, (endpoint, opts, io) => invokeLocalEndpoint(getHome(), endpoint, opts, io));
}
