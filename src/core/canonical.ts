import * as crypto from "node:crypto";
import { createHash } from "node:crypto";
import { toTaggedJson } from "./codec.js";

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit (JavaScript's default sort, which
 * differs from code point order only between astral characters and U+E000-U+FFFF; kept so that
 * fingerprints never change), no white space, numbers as
 * JavaScript's shortest round-trip text (`-0` as `0`), non-finite numbers and typed
 * arrays tagged as in the codec. Equal values give equal text, whatever the key order.
 *
 * @example
 * canonicalJson({ b: 1, a: [1e-3, NaN] }) // '{"a":[0.001,{"$float":"NaN"}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return write(toTaggedJson(value));
}

/**
 * The canonical JSON of a value already encoded by `toTaggedJson` (the encoding walk is
 * then done once for validation, storage and fingerprints).
 *
 * @example
 * canonicalTaggedJson(toTaggedJson({ b: 1, a: 2 })) === canonicalJson({ b: 1, a: 2 }) // true
 */
export function canonicalTaggedJson(tagged: unknown): string {
  return write(tagged);
}

// Concatenated in loops (no per-level arrays of parts): fingerprints are taken for every run.
function write(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) {
    let out = "[";
    // A hole writes nothing, as `map` and `join` did (fingerprints must not change).
    for (let i = 0; i < v.length; i++) out += (i === 0 ? "" : ",") + (i in v ? write(v[i]) : "");
    return `${out}]`;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    out += `${i === 0 ? "" : ","}${JSON.stringify(k)}:${write(o[k])}`;
  }
  return `${out}}`;
}

/** Node's one-shot `crypto.hash` (Node 20.12+), a third of `createHash`'s cost for short input. */
const oneShot = (
  crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: "hex") => string }
).hash;

/** SHA-256 of a string, hex. */
export function sha256Hex(text: string | Uint8Array): string {
  return oneShot ? oneShot("sha256", text, "hex") : createHash("sha256").update(text).digest("hex");
}

/**
 * SHA-256 over the canonical JSON of a value.
 *
 * @example
 * fingerprint({ lr: 0.1, model: "a" }) === fingerprint({ model: "a", lr: 0.1 }) // true
 */
export function fingerprint(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
