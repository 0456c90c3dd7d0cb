import { invalid } from "../core/errors.js";
import { isSampler, type Sampler } from "./sampler.js";
import { isPlainObject, isTagged, tagText, untag } from "./tag.js";

/**
 * The params of an experiment:
 * - a grid: a plain object where every array is a list of choices and every plain object a
 *   nested grid (kept as the same object when it holds no choices); the runs are the
 *   cartesian product, first key slowest. An array as one value is a choice list of one:
 *   `layers: [[64, 64]]`.
 * - a list of param objects, run as they are;
 * - `sample({ count, seed, space })`, a seeded random search.
 */
export type ParamSpace = Record<string, unknown> | readonly Record<string, unknown>[] | Sampler;

/** One configuration of a sweep: its params and the tags of its `tag()` params. */
export interface ParamConfig {
  params: Record<string, unknown>;
  tags: Record<string, string>;
}

interface Choice {
  value: unknown;
  tags: Record<string, string>;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function choicesOf(v: unknown, path: string, open: Set<object>): Choice[] {
  if (isTagged(v)) {
    return choicesOf(v.value, path, open).map((c) => ({
      value: c.value,
      tags: { ...c.tags, [path]: tagText(c.value) },
    }));
  }
  if (Array.isArray(v)) {
    if (v.length === 0) throw invalid(`params.${path}`, "a list of choices must not be empty", v);
    return v.map((item) => {
      const tags: Record<string, string> = {};
      return { value: untag(item, path, tags), tags };
    });
  }
  if (isPlainObject(v)) {
    // An object without choices is a value (kept as is, cycles included, refused later).
    if (open.has(v) || !hasChoices(v)) return [{ value: v, tags: {} }];
    return expandGrid(v, path, open).map((c) => ({ value: c.params, tags: c.tags }));
  }
  return [{ value: v, tags: {} }];
}

function hasChoices(v: Record<string, unknown>, open: Set<object> = new Set()): boolean {
  if (open.has(v)) return false;
  open.add(v);
  const found = Object.values(v).some(
    (x) => Array.isArray(x) || isTagged(x) || (isPlainObject(x) && hasChoices(x, open)),
  );
  open.delete(v);
  return found;
}

/** The cartesian product of a grid, first key slowest. */
export function expandGrid(
  grid: Record<string, unknown>,
  path = "",
  open: Set<object> = new Set(),
): ParamConfig[] {
  open.add(grid);
  let out: ParamConfig[] = [{ params: {}, tags: {} }];
  for (const [key, v] of Object.entries(grid)) {
    if (v === undefined) continue;
    const choices = choicesOf(v, join(path, key), open);
    const next: ParamConfig[] = [];
    for (const base of out) {
      for (const c of choices) {
        next.push({ params: { ...base.params, [key]: c.value }, tags: { ...base.tags, ...c.tags } });
      }
    }
    out = next;
  }
  open.delete(grid);
  return out;
}

/**
 * Every configuration of a param space, in order.
 *
 * @example
 * expandParams({ lr: [0.1, 0.01], model: ["a", "b"] }).length; // 4
 */
export function expandParams(space: ParamSpace): ParamConfig[] {
  if (isSampler(space)) return space.draw();
  if (Array.isArray(space)) {
    if (space.length === 0) throw invalid("params", "a list of param objects must not be empty", space);
    return space.map((p, i) => {
      if (!isPlainObject(p) && !isTagged(p)) {
        throw invalid(`params[${i}]`, "must be an object of params", p);
      }
      const tags: Record<string, string> = {};
      return { params: untag(p, "", tags) as Record<string, unknown>, tags };
    });
  }
  if (isPlainObject(space)) return expandGrid(space);
  throw invalid("params", "must be a grid object, a list of param objects or sample({...})", space);
}
