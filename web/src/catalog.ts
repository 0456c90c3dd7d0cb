import { useEffect, useState } from "preact/hooks";
import { get, onKeyChange } from "./api.ts";
import type { FieldInfo } from "./types.ts";

/**
 * The field catalog of an experiment (or of every run), asked once per page session: it reads
 * every run of the scope in the store, the costliest call the page makes, so views ask for it
 * only when the user needs it (the filter bar focused, a field picker opened).
 */
const cache = new Map<string, Promise<FieldInfo[]>>();

export function loadCatalog(experiment: string): Promise<FieldInfo[]> {
  let hit = cache.get(experiment);
  if (!hit) {
    hit = get<{ data: FieldInfo[] }>("/fields", { experiment: experiment || undefined }).then((r) => r.data);
    hit.catch(() => cache.delete(experiment));
    cache.set(experiment, hit);
  }
  return hit;
}

/** The catalog once `wanted` (it stays loaded afterwards); `undefined` until then. */
export function useCatalog(experiment: string, wanted: boolean): FieldInfo[] | undefined {
  const [fields, setFields] = useState<FieldInfo[] | undefined>(undefined);
  const [tick, setTick] = useState(0);
  useEffect(() => onKeyChange(() => setTick((t) => t + 1)), []);
  useEffect(() => {
    setFields(undefined);
    if (!wanted) return;
    let alive = true;
    loadCatalog(experiment).then(
      (f) => alive && setFields(f),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [experiment, wanted, tick]);
  return fields;
}
