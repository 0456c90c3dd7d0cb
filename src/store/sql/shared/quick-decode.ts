import { decodeJson } from "../../../core/codec.js";

/**
 * `decodeJson` (core/codec) with a shortcut: text that holds no `"$` (so no tag, nor an escaped
 * object, can be in it), no `__proto__` and no `\u` escape decodes to exactly what
 * `JSON.parse` returns, without the tag walk's second copy. Anything else takes `decodeJson`.
 *
 * @example
 * quickDecodeJson('{"lr":0.1}'); // { lr: 0.1 }
 * quickDecodeJson('{"$float":"NaN"}'); // NaN
 */
export function quickDecodeJson<T = unknown>(text: string | null | undefined): T {
  if (text === null || text === undefined) return null as T;
  if (text.includes('"$') || text.includes("__proto__") || text.includes("\\u")) return decodeJson<T>(text);
  return JSON.parse(text) as T;
}
