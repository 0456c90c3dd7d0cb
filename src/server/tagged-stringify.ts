import { type TypedArray, typedName } from "../core/codec.js";
import { describeValue, LabbookError } from "../core/errors.js";
import { isPlainJson } from "./plain-json.js";

/** Objects the replacer made itself (the `{ $obj }` escape's copies), passed through as they are. */
const escaped = new WeakSet<object>();

/** Tags what plain JSON cannot hold, looking at the value before `toJSON` (`this[key]`). */
function replace(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  switch (typeof original) {
    case "number":
      return Number.isFinite(original) ? value : { $float: String(original) };
    case "string":
    case "boolean":
    case "undefined":
      return value;
    case "object": {
      if (original === null || escaped.has(original) || Array.isArray(original)) return value;
      if (ArrayBuffer.isView(original) && !(original instanceof DataView)) {
        const bytes = Buffer.from(original.buffer, original.byteOffset, original.byteLength);
        return { $typed: typedName(original as TypedArray), data: bytes.toString("base64") };
      }
      if (original instanceof Date) return { $date: original.toISOString() };
      let only: string | null = null;
      let count = 0;
      for (const k of Object.keys(original)) {
        if ((original as Record<string, unknown>)[k] === undefined) continue;
        if (++count > 2) return value;
        only = k;
      }
      const typedLike =
        count === 2 &&
        typeof (original as Record<string, unknown>).$typed === "string" &&
        (original as Record<string, unknown>).data !== undefined;
      if ((count === 1 && only!.startsWith("$")) || typedLike) {
        const copy = { ...(original as object) };
        escaped.add(copy);
        return { $obj: copy };
      }
      return value;
    }
    default:
      throw new LabbookError("INTERNAL", `response ${key}: cannot encode ${describeValue(original)}`);
  }
}

/**
 * The tagging encoder itself: one `JSON.stringify` pass with the tagging replacer. Exported for
 * tests that check the fast path against it.
 *
 * @example
 * replacerStringify({ loss: Number.NaN }); // '{"loss":{"$float":"NaN"}}'
 */
export function replacerStringify(value: unknown): string {
  return JSON.stringify({ v: value }, replace).slice(5, -1) || "null";
}

/**
 * The JSON text `encodeJson` (core/codec) writes, in one `JSON.stringify` pass without
 * building a tagged copy first: the server encodes its responses with it. Values that need no
 * tag (the common case) skip the replacer and go through a plain `JSON.stringify`.
 *
 * @example
 * taggedStringify({ loss: Number.NaN }); // '{"loss":{"$float":"NaN"}}'
 */
export function taggedStringify(value: unknown): string {
  if (value !== undefined && isPlainJson(value)) return JSON.stringify(value);
  return replacerStringify(value);
}
