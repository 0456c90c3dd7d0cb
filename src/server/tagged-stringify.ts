import { describeValue, LabbookError } from "../core/errors.js";

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
        return { $typed: original.constructor.name, data: bytes.toString("base64") };
      }
      if (original instanceof Date) return { $date: original.toISOString() };
      let only: string | null = null;
      let count = 0;
      for (const k of Object.keys(original)) {
        if ((original as Record<string, unknown>)[k] === undefined) continue;
        if (++count > 1) return value;
        only = k;
      }
      if (count === 1 && only!.startsWith("$")) {
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
 * The JSON text `encodeJson` (core/codec) writes, in one `JSON.stringify` pass without
 * building a tagged copy first: the server encodes its responses with it.
 *
 * @example
 * taggedStringify({ loss: Number.NaN }); // '{"loss":{"$float":"NaN"}}'
 */
export function taggedStringify(value: unknown): string {
  return JSON.stringify({ v: value }, replace).slice(5, -1) || "null";
}
