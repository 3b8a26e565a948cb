/**
 * An AbortController that also aborts when `parent` does: a piece of work (an execution, a Task's
 * call, Parallel branches, Map iterations, a heartbeat countdown) stops with what it belongs to, and
 * can also be stopped on its own. `detach()` when the work ends, so the parent keeps no listener.
 * This is the one way the code links a controller to a parent signal.
 */
export interface ChildAbort {
  readonly controller: AbortController;
  readonly signal: AbortSignal;
  detach(): void;
}

export interface ChildAbortOptions {
  /** Called when the parent aborts, before the child does. */
  readonly onParentAbort?: () => void;
  /** The child's abort reason from the parent's (default: the parent's own). */
  readonly reason?: (parentReason: unknown) => unknown;
}

/** `parent` undefined: a controller that only its owner aborts. */
export function childAbort(parent: AbortSignal | undefined, options: ChildAbortOptions = {}): ChildAbort {
  const controller = new AbortController();
  if (parent === undefined) return { controller, signal: controller.signal, detach: () => undefined };
  const onAbort = () => {
    options.onParentAbort?.();
    controller.abort(options.reason ? options.reason(parent.reason) : parent.reason);
  };
  parent.addEventListener('abort', onAbort, { once: true });
  return { controller, signal: controller.signal, detach: () => parent.removeEventListener('abort', onAbort) };
}
