import { canonicalTaggedJson } from "./canonical.js";
import { setOwn } from "./codec.js";

/** What merging params into a run's params did, by dotted path. */
export interface ParamsMerge {
  /** The merged params (tagged JSON, as stored). */
  params: Record<string, unknown>;
  /** Paths the run did not have. */
  added: string[];
  /** Paths the run had with another value, left as they were (no `replace`). */
  kept: string[];
  /** Paths the run had with another value, now replaced (`replace`). */
  replaced: string[];
}

/** A plain object of tagged JSON (not a tagged value such as `{"$float": "NaN"}`). */
function isPlain(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return !(keys.length === 1 && keys[0]!.startsWith("$")) && !("$typed" in v && "data" in v);
}

function walk(
  into: Record<string, unknown>,
  patch: Record<string, unknown>,
  prefix: string,
  replace: boolean,
  out: ParamsMerge,
): void {
  for (const [k, v] of Object.entries(patch)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (!Object.hasOwn(into, k)) {
      setOwn(into, k, v);
      out.added.push(path);
      continue;
    }
    const cur = into[k];
    if (isPlain(cur) && isPlain(v)) {
      const copy: Record<string, unknown> = {};
      for (const [ck, cv] of Object.entries(cur)) setOwn(copy, ck, cv);
      walk(copy, v, path, replace, out);
      setOwn(into, k, copy);
      continue;
    }
    if (canonicalTaggedJson(cur) === canonicalTaggedJson(v)) continue;
    if (replace) {
      setOwn(into, k, v);
      out.replaced.push(path);
    } else out.kept.push(path);
  }
}

/**
 * Merges params into a run's params, both in tagged JSON: objects merge key by key; a param
 * the run does not have is added; one it has with the same value is left alone; one it has
 * with another value keeps its value unless `replace` is set (as MLflow's `log_param`, a param
 * is set once unless the caller says otherwise). Neither input is modified.
 *
 * @example
 * mergeParams({ lr: 0.1, model: { depth: 2 } }, { lr: 0.2, model: { width: 64 } }, false);
 * // { params: { lr: 0.1, model: { depth: 2, width: 64 } }, added: ["model.width"], kept: ["lr"], replaced: [] }
 */
export function mergeParams(
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
  replace: boolean,
): ParamsMerge {
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(current)) setOwn(params, k, v);
  const out: ParamsMerge = { params, added: [], kept: [], replaced: [] };
  walk(params, patch, "", replace, out);
  return out;
}
