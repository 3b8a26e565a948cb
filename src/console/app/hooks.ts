/** Small hooks the pages share: the hash route, and data loaded (and optionally polled) from the API. */
import { useEffect, useRef, useState } from 'preact/hooks';

export function useRoute(): string[] {
  const read = () => (location.hash.replace(/^#\/?/, '') || 'executions').split('/').map((p) => decodeURIComponent(p));
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function href(...parts: string[]): string {
  return `#/${parts.map((p) => encodeURIComponent(p)).join('/')}`;
}

export interface Loaded<T> {
  data?: T;
  error?: string;
  reload: () => void;
}

/**
 * Runs `load` now and again whenever `deps` change; with `everyMs`, again on that period while
 * `keepPolling(data)` says so (live pages), without reloading the page.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], everyMs?: number, keepPolling: (d: T) => boolean = () => true): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  const [tick, setTick] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const data = await latest.current();
        if (!alive) return;
        setState({ data });
        if (everyMs !== undefined && keepPolling(data)) timer = setTimeout(run, everyMs);
      } catch (e) {
        if (!alive) return;
        setState((s) => ({ ...s, error: (e as Error).message }));
        if (everyMs !== undefined) timer = setTimeout(run, everyMs * 3);
      }
    };
    void run();
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}
