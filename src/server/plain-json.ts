/** Deeper than this, the check gives up (and the caller takes the slow, exact path). */
const MAX_DEPTH = 200;

/** A member or item: leaves are told apart here, without a call per leaf. */
function plainMember(x: unknown, depth: number): boolean {
  switch (typeof x) {
    case "string":
    case "boolean":
    case "undefined":
      return true;
    case "number":
      return Number.isFinite(x);
    case "object":
      return x === null || plain(x, depth);
    default:
      return false;
  }
}

function plain(v: object, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!plainMember(v[i], depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  const o = v as Record<string, unknown>;
  if ("toJSON" in o) return false;
  let count = 0;
  let only = "";
  for (const k in o) {
    const x = o[k];
    if (x === undefined) continue;
    if (!plainMember(x, depth + 1)) return false;
    count++;
    only = k;
  }
  // The codec escapes an object whose one member has a `$` name, and one shaped like the
  // typed-array tag (`{ $typed: string, data }`).
  if (count === 2 && typeof o.$typed === "string" && o.data !== undefined) return false;
  return count !== 1 || only.charCodeAt(0) !== 36; // "$"
}

/**
 * Whether plain `JSON.stringify` writes the tagged encoding of a value unchanged: only finite
 * numbers, strings, booleans, null, arrays and plain objects (no `toJSON`), and no object whose
 * one defined member has a `$` name. Cycles and very deep values answer `false`.
 *
 * @example
 * isPlainJson({ acc: 0.9 }); // true
 * isPlainJson({ loss: Number.NaN }); // false
 */
export function isPlainJson(value: unknown): boolean {
  return plainMember(value, 0);
}
