import { useEffect, useRef, useState } from "preact/hooks";
import { onKeyChange } from "./api.ts";

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  /** Loads again now. */
  reload(): void;
}

/**
 * Loads `fn()` when `deps` change (and when an API key is given), keeping the last data while
 * the next load runs; with `pollMs`, loads again that often while the page is visible.
 */
export function useData<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  deps: unknown[],
  pollMs?: number | null,
): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => onKeyChange(() => setTick((t) => t + 1)), []);
  useEffect(() => {
    const ctl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let alive = true;
    const load = async (first: boolean) => {
      if (first) setState((s) => ({ ...s, loading: true }));
      try {
        const data = await fnRef.current(ctl.signal);
        if (alive) setState({ data, loading: false });
      } catch (e) {
        if (alive && !(e instanceof DOMException && e.name === "AbortError")) {
          setState((s) => ({ data: first ? undefined : s.data, error: e as Error, loading: false }));
        }
      }
      if (alive && pollMs) timer = setTimeout(() => void load(false), pollMs);
    };
    void load(true);
    return () => {
      alive = false;
      ctl.abort();
      clearTimeout(timer);
    };
  }, [...deps, tick, pollMs]);
  return { ...state, data: state.data, error: state.error, reload: () => setTick((t) => t + 1) };
}
