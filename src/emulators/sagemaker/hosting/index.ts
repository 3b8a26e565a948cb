/**
 * Local SageMaker hosting: endpoints as real model servers and batch transform against them.
 *
 *   const hosting = createHosting();
 *   const server = await hosting.startServer(model, ctx);   // resolves once /ping answers 200
 *   server.url                                              // http://127.0.0.1:<port> (stable across update)
 *   await server.invoke({ body, contentType, accept });     // in-process InvokeEndpoint hop
 *   await server.update(newModel);                          // blue/green, no request dropped
 *   await server.stop();
 *   const outcome = await hosting.runTransform(job, jobCtx); // JobOutcome, as jobs report
 *
 * startServer rejects with a ModelServerStartError whose message is SageMaker's FailureReason
 * (`failureReasonFor(variantName)` for other variants than AllTraffic) and whose `detail` is the
 * local cause (the Python exception; the traceback is in ctx.logFile).
 */
export { createHosting, type LocalHosting } from './create-hosting.js';
export type { HostingOptions } from './hosting-options.js';
export { isLoopbackRequest, SAGEMAKER_REQUEST_HEADERS } from './front-proxy.js';
export { ModelServerStartError, type StartStage } from './errors.js';
export type { InvokeRequest, LocalInvokeResult, LocalModelServer } from './model-server.js';
export { ALGORITHM_ERROR, type TransformJob } from './transform/run-transform.js';
export { noInputObjectsMessage } from './transform/input-objects.js';
