import { canonicalJson } from "../core/canonical.js";
import { hasBrand, TAG_BRAND } from "./brand.js";

/**
 * A param value marked with {@link tag}: its value also becomes a tag of the run.
 *
 * @example
 * new Tagged(0.1) // what tag(0.1) makes
 */
export class Tagged<T = unknown> {
  readonly value: T;
  constructor(value: T) {
    this.value = value;
  }

  /**
   * `x instanceof Tagged` holds for a tag made by any copy of labbook (an experiment module
   * importing the sources, run by the built CLI), not only by this class.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isTagged(value);
  }
  /** The brand by which every copy of labbook recognises a tag (see {@link isTagged}). */
  get [TAG_BRAND](): true {
    return true;
  }
}

/**
 * True for what {@link tag} returned, by any copy of labbook.
 *
 * @example
 * isTagged(tag(0.1)); // true
 */
export function isTagged(value: unknown): value is Tagged {
  return hasBrand(value, TAG_BRAND);
}

/**
 * Marks a param whose value also becomes a tag of the run (key: the param's dotted path;
 * value: the text of the value). Around a grid's list of choices, it marks each choice.
 *
 * @example
 * defineExperiment({ name: "s", params: { lr: tag([1e-3, 1e-4]), model: [tag("a"), "b"] }, run });
 * // runs with lr=0.001 get the tag lr=0.001
 */
export function tag<T>(value: T): T {
  return new Tagged(value) as unknown as T;
}

/** The tag text of a value: strings as they are, other scalars as text, objects as canonical JSON. */
export function tagText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || typeof value !== "object") return String(value);
  return canonicalJson(value);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Removes {@link Tagged} markers from a value, adding their tags; objects without markers
 * are kept as they are (same identity), so shared sub-configs stay shared.
 */
export function untag(
  value: unknown,
  path: string,
  tags: Record<string, string>,
  open: Set<object> = new Set(),
): unknown {
  if (isTagged(value)) {
    const inner = untag(value.value, path, tags, open);
    tags[path] = tagText(inner);
    return inner;
  }
  // A cycle is left as it is: storing the params refuses it with its path.
  if (value === null || typeof value !== "object" || open.has(value)) return value;
  open.add(value);
  try {
    if (Array.isArray(value)) {
      let changed = false;
      const out = value.map((v, i) => {
        const u = untag(v, `${path}[${i}]`, tags, open);
        if (u !== v) changed = true;
        return u;
      });
      return changed ? out : value;
    }
    if (isPlainObject(value)) {
      let changed = false;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const u = untag(v, path ? `${path}.${k}` : k, tags, open);
        if (u !== v) changed = true;
        out[k] = u;
      }
      return changed ? out : value;
    }
    return value;
  } finally {
    open.delete(value);
  }
}
