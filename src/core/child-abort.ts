/**
 * An AbortController that also aborts, with the parent's reason, when `parent` does: a state's own
 * work (a Task's call, Parallel branches, Map iterations) stops with the execution, and can also be
 * stopped on its own. `detach()` when the work ends, so the parent keeps no listener.
 */
export interface ChildAbort {
  readonly controller: AbortController;
  readonly signal: AbortSignal;
  detach(): void;
}

export function childAbort(parent: AbortSignal, onParentAbort?: () => void): ChildAbort {
  const controller = new AbortController();
  const onAbort = () => {
    onParentAbort?.();
    controller.abort(parent.reason);
  };
  parent.addEventListener('abort', onAbort, { once: true });
  return { controller, signal: controller.signal, detach: () => parent.removeEventListener('abort', onAbort) };
}
