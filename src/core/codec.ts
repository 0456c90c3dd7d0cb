import { describeValue, LabbookError } from "./errors.js";

/**
 * A tagged JSON codec for the values labbook stores: plain JSON plus the numbers
 * JSON cannot spell (NaN, Infinity, -Infinity), typed arrays (kept with their
 * dtype) and dates. Functions, symbols, bigints and cyclic references are refused
 * with an error naming the path.
 *
 * Tags: `{"$float": "NaN" | "Infinity" | "-Infinity"}`, `{"$typed": "Float32Array", "data": base64}`,
 * `{"$date": iso}`. An object whose only key starts with `$` is escaped as `{"$obj": {...}}`.
 */
export type TypedArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array
  | Uint8ClampedArray
  | BigInt64Array
  | BigUint64Array;

const TYPED: Record<string, new (buf: ArrayBuffer) => TypedArray> = {
  Float64Array,
  Float32Array,
  Int32Array,
  Int16Array,
  Int8Array,
  Uint32Array,
  Uint16Array,
  Uint8Array,
  Uint8ClampedArray,
  BigInt64Array,
  BigUint64Array,
};

/** A JSON value as labbook accepts it (numbers may be non-finite). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * `out[k] = v`, except that a `__proto__` key becomes an own property (as `JSON.parse` makes
 * it), not the object's prototype.
 *
 * @example
 * setOwn(out, "__proto__", { a: 1 }); // Object.hasOwn(out, "__proto__") === true
 */
export function setOwn(out: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__")
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

function isTagged(o: Record<string, unknown>): boolean {
  const keys = Object.keys(o);
  return keys.length === 1 && keys[0]!.startsWith("$");
}

/** Encodes a value into plain JSON (finite numbers only), walking it once. */
export function toTaggedJson(value: unknown, path = "value", seen: Set<object> = new Set()): unknown {
  switch (typeof value) {
    case "number":
      return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : { $float: String(value) };
    case "string":
    case "boolean":
      return value;
    case "undefined":
      return null;
    case "object": {
      if (value === null) return null;
      if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
        const ta = value as TypedArray;
        const bytes = Buffer.from(ta.buffer, ta.byteOffset, ta.byteLength);
        return { $typed: ta.constructor.name, data: bytes.toString("base64") };
      }
      if (value instanceof Date) return { $date: value.toISOString() };
      if (seen.has(value)) {
        throw new LabbookError("INVALID_ARGUMENT", `${path}: cyclic reference; values must be trees`, {
          field: path,
        });
      }
      seen.add(value);
      try {
        if (Array.isArray(value)) return value.map((v, i) => toTaggedJson(v, `${path}[${i}]`, seen));
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
          if (v === undefined) continue;
          setOwn(out, k, toTaggedJson(v, `${path}.${k}`, seen));
        }
        return isTagged(out) || looksTyped(out) ? { $obj: out } : out;
      } finally {
        seen.delete(value);
      }
    }
    default:
      throw new LabbookError(
        "INVALID_ARGUMENT",
        `${path}: must be a JSON-like value (null, boolean, number, string, array, object, typed array, Date); received ${describeValue(value)}`,
        { field: path },
      );
  }
}

/** Decodes what {@link toTaggedJson} produced. */
export function fromTaggedJson(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(fromTaggedJson);
  const o = value as Record<string, unknown>;
  if (isTagged(o)) {
    if ("$float" in o) return Number(o.$float);
    if ("$date" in o) return new Date(String(o.$date));
    if ("$obj" in o) return decodeObject(o.$obj as Record<string, unknown>);
    if ("$typed" in o) return decodeTyped(o as { $typed: string; data?: string });
  }
  if (looksTyped(o)) return decodeTyped(o as { $typed: string; data?: string });
  return decodeObject(o);
}

/** `{ $typed, data }`: the typed-array tag's shape (a user object of that shape is escaped). */
function looksTyped(o: Record<string, unknown>): boolean {
  return "$typed" in o && typeof o.$typed === "string" && "data" in o && Object.keys(o).length === 2;
}

function decodeObject(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) setOwn(out, k, fromTaggedJson(v));
  return out;
}

function decodeTyped(o: { $typed: string; data?: string }): TypedArray {
  const Ctor = TYPED[o.$typed];
  if (!Ctor) throw new LabbookError("INTERNAL", `unknown typed array ${o.$typed} in stored data`);
  const bytes = Buffer.from(o.data ?? "", "base64");
  const buf = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buf).set(bytes);
  return new Ctor(buf);
}

/** Encodes to a JSON string with the tags of {@link toTaggedJson}. */
export function encodeJson(value: unknown, path = "value"): string {
  return JSON.stringify(toTaggedJson(value, path));
}

/** Decodes a string written by {@link encodeJson}. */
export function decodeJson<T = unknown>(text: string | null | undefined): T {
  if (text === null || text === undefined) return null as T;
  return fromTaggedJson(JSON.parse(text)) as T;
}
