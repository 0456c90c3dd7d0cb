import { describeValue, LabbookError } from "./errors.js";

/**
 * A tagged JSON codec for the values labbook stores: plain JSON plus the numbers
 * JSON cannot spell (NaN, Infinity, -Infinity), typed arrays (kept with their
 * dtype) and dates. Functions, symbols, bigints, cyclic references, objects that are not
 * plain (`Map`, `Set`, class instances) and malformed tags are refused with an error naming
 * the path.
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

/**
 * How deep a value may nest (objects and arrays, tags included), so that the database's JSON
 * functions can read it (SQLite reads no deeper than 1,000) with room for the envelope of a
 * request body.
 */
export const MAX_VALUE_DEPTH = 500;
/** How deep tagged JSON may nest when it is decoded (a request body, a stored value). */
export const MAX_JSON_DEPTH = 1000;

/** A path for an error message: long paths (deep values) are cut. */
function shortPath(path: string): string {
  return path.length > 120 ? `${path.slice(0, 100)}...` : path;
}

function tooDeep(path: string, limit: number): LabbookError {
  const at = shortPath(path);
  return new LabbookError("INVALID_ARGUMENT", `${at}: nests more than ${limit} levels deep (the limit)`, {
    field: at,
    details: { limit },
  });
}

/**
 * The typed-array name a value is stored under (a Node `Buffer` is a `Uint8Array`).
 *
 * @example
 * typedName(Buffer.from("a")); // "Uint8Array"
 */
export function typedName(ta: TypedArray): string {
  const own = ta.constructor.name;
  if (TYPED[own] === ta.constructor) return own;
  for (const [name, Ctor] of Object.entries(TYPED)) if (ta instanceof Ctor) return name;
  return own;
}

/** What an object that is not plain is, for an error: `a Map`, `an instance of Point`. */
function kindOf(value: object): string {
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof name !== "string" || name.length === 0) return "an object with a prototype";
  if (value instanceof Map || value instanceof Set || value instanceof WeakMap || value instanceof WeakSet) {
    return `a ${name}`;
  }
  return `an instance of ${name}`;
}

const JSON_LIKE =
  "must be a JSON-like value (null, boolean, number, string, array, plain object, typed array, Date)";

/**
 * Encodes a value into plain JSON (finite numbers only), walking it once. Refused, with an
 * `INVALID_ARGUMENT` error naming the path: functions, symbols, bigints, cycles, invalid dates,
 * objects that are not plain (a `Map`, a `Set`, a class instance: they would lose their content),
 * and values nested deeper than {@link MAX_VALUE_DEPTH}.
 */
export function toTaggedJson(value: unknown, path = "value"): unknown {
  return encode(value, path, new Set(), 0);
}

function encode(value: unknown, path: string, seen: Set<object>, depth: number): unknown {
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
        return { $typed: typedName(ta), data: bytes.toString("base64") };
      }
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) {
          throw new LabbookError("INVALID_ARGUMENT", `${path}: must be a valid Date; received Invalid Date`, {
            field: path,
          });
        }
        return { $date: value.toISOString() };
      }
      if (depth >= MAX_VALUE_DEPTH) throw tooDeep(path, MAX_VALUE_DEPTH);
      if (seen.has(value)) {
        throw new LabbookError("INVALID_ARGUMENT", `${path}: cyclic reference; values must be trees`, {
          field: path,
        });
      }
      const isArray = Array.isArray(value);
      if (!isArray) {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          throw new LabbookError("INVALID_ARGUMENT", `${path}: ${JSON_LIKE}; received ${kindOf(value)}`, {
            field: path,
          });
        }
      }
      seen.add(value);
      try {
        if (isArray) return value.map((v, i) => encode(v, `${path}[${i}]`, seen, depth + 1));
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
          if (v === undefined) continue;
          setOwn(out, k, encode(v, `${path}.${k}`, seen, depth + 1));
        }
        return isTagged(out) || looksTyped(out) ? { $obj: out } : out;
      } finally {
        seen.delete(value);
      }
    }
    default:
      throw new LabbookError("INVALID_ARGUMENT", `${path}: ${JSON_LIKE}; received ${describeValue(value)}`, {
        field: path,
      });
  }
}

/** A malformed tag met while decoding; the path is filled in as the error unwinds. */
class TagProblem {
  readonly path: (string | number)[] = [];
  constructor(readonly rule: string) {}
}

/**
 * Decodes what {@link toTaggedJson} produced. A malformed tag (`{"$float": "bogus"}`,
 * `{"$date": "garbage"}`, `{"$typed": "Evil"}`) or a value nested deeper than
 * {@link MAX_JSON_DEPTH} is an `INVALID_ARGUMENT` error naming the path under `where` (`""`:
 * paths from the top, as a request body's fields are named).
 *
 * @example
 * fromTaggedJson({ loss: { $float: "NaN" } }); // { loss: NaN }
 */
export function fromTaggedJson(value: unknown, where = "value"): unknown {
  try {
    return decode(value, 0);
  } catch (e) {
    if (!(e instanceof TagProblem)) throw e;
    let path = where;
    for (let i = e.path.length - 1; i >= 0; i--) {
      const p = e.path[i]!;
      path += typeof p === "number" ? `[${p}]` : path === "" ? p : `.${p}`;
    }
    const at = shortPath(path || "value");
    throw new LabbookError("INVALID_ARGUMENT", `${at}: ${e.rule}`, { field: at });
  }
}

function decode(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_JSON_DEPTH)
    throw new TagProblem(`nests more than ${MAX_JSON_DEPTH} levels deep (the limit)`);
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      try {
        out[i] = decode(value[i], depth + 1);
      } catch (e) {
        if (e instanceof TagProblem) e.path.push(i);
        throw e;
      }
    }
    return out;
  }
  const o = value as Record<string, unknown>;
  if (isTagged(o)) {
    if ("$float" in o) return decodeFloat(o.$float);
    if ("$date" in o) return decodeDate(o.$date);
    if ("$obj" in o) {
      const inner = o.$obj;
      if (inner === null || typeof inner !== "object" || Array.isArray(inner)) {
        throw new TagProblem(`{"$obj": ...} must hold an object; received ${describeValue(inner)}`);
      }
      return decodeObject(inner as Record<string, unknown>, depth + 1);
    }
    if ("$typed" in o) return decodeTyped(o as { $typed: unknown; data?: unknown });
  }
  if (looksTyped(o)) return decodeTyped(o as { $typed: string; data?: unknown });
  return decodeObject(o, depth);
}

/** `{ $typed, data }`: the typed-array tag's shape (a user object of that shape is escaped). */
function looksTyped(o: Record<string, unknown>): boolean {
  return "$typed" in o && typeof o.$typed === "string" && "data" in o && Object.keys(o).length === 2;
}

function decodeObject(o: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    try {
      setOwn(out, k, decode(v, depth + 1));
    } catch (e) {
      if (e instanceof TagProblem) e.path.push(k);
      throw e;
    }
  }
  return out;
}

function decodeFloat(s: unknown): number {
  if (s === "NaN" || s === "Infinity" || s === "-Infinity") return Number(s);
  throw new TagProblem(
    `{"$float": ...} must be "NaN", "Infinity" or "-Infinity"; received ${describeValue(s)}`,
  );
}

function decodeDate(s: unknown): Date {
  const d = typeof s === "string" ? new Date(s) : null;
  if (d === null || Number.isNaN(d.getTime())) {
    throw new TagProblem(`{"$date": ...} must be an ISO date string; received ${describeValue(s)}`);
  }
  return d;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeTyped(o: { $typed: unknown; data?: unknown }): TypedArray {
  // "Buffer": how earlier versions tagged a Node Buffer (now tagged as the Uint8Array it is).
  const name = o.$typed === "Buffer" ? "Uint8Array" : o.$typed;
  const Ctor = typeof name === "string" && Object.hasOwn(TYPED, name) ? TYPED[name] : undefined;
  if (!Ctor) {
    throw new TagProblem(
      `{"$typed": ...} must name a typed array (${Object.keys(TYPED).join(", ")}); received ${describeValue(o.$typed)}`,
    );
  }
  if (typeof o.data !== "string" || !BASE64.test(o.data)) {
    throw new TagProblem(
      `{"$typed": ...} must carry its bytes as base64 in "data"; received ${describeValue(o.data)}`,
    );
  }
  const bytes = Buffer.from(o.data, "base64");
  const size = (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  if (bytes.byteLength % size !== 0) {
    throw new TagProblem(
      `{"$typed": ...} holds ${bytes.byteLength} bytes, not a whole number of ${o.$typed} elements (${size} bytes each)`,
    );
  }
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
