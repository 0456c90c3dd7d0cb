import type { JsonValue } from "../core/codec.js";

const collator = new Intl.Collator("en", { numeric: true });

function rank(v: JsonValue): number {
  if (typeof v === "number") return 0;
  if (typeof v === "string") return 1;
  if (typeof v === "boolean") return 2;
  if (v === null) return 4;
  return 3;
}

/**
 * Orders single key values: numbers (ascending), strings (natural order: `a2` before
 * `a10`), booleans, other values (by JSON text), then `null` last.
 */
export function compareKeyValues(a: JsonValue, b: JsonValue): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === "number" && typeof b === "number") return a === b ? 0 : a < b || Number.isNaN(b) ? -1 : 1;
  if (typeof a === "string" && typeof b === "string")
    return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
  if (typeof a === "boolean") return Number(a) - Number(b);
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  return ja < jb ? -1 : ja > jb ? 1 : 0;
}

/** Orders group keys (tuples of values) field by field. */
export function compareKeys(a: readonly JsonValue[], b: readonly JsonValue[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareKeyValues(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/**
 * Assigns group ordinals to key tuples: `add` returns the tuple's ordinal; `sorted` lists
 * the tuples in key order with their ordinals.
 *
 * @example
 * const g = new GroupIndex(); g.add([0.1, "a"]); g.add([0.01, "a"]); g.sorted(); // [[[0.01,"a"],1],[[0.1,"a"],0]]
 */
export class GroupIndex {
  readonly #ids = new Map<string, number>();
  readonly #keys: JsonValue[][] = [];

  add(key: JsonValue[]): number {
    let text = "";
    for (const v of key) text += `${keyText(v)}\u0001`;
    let id = this.#ids.get(text);
    if (id === undefined) {
      id = this.#keys.length;
      this.#ids.set(text, id);
      this.#keys.push(key);
    }
    return id;
  }

  get size(): number {
    return this.#keys.length;
  }

  sorted(): [JsonValue[], number][] {
    return this.#keys.map((k, i) => [k, i] as [JsonValue[], number]).sort((x, y) => compareKeys(x[0], y[0]));
  }
}

/** A value's identity text in a group key (type-tagged; strings JSON-escaped, so no separator forges). */
function keyText(v: JsonValue): string {
  if (typeof v === "number") return `n${v}`;
  if (typeof v === "string") return `s${JSON.stringify(v)}`;
  if (typeof v === "boolean") return v ? "t" : "f";
  if (v === null) return "z";
  return `j${JSON.stringify(v)}`;
}

/** A key tuple as a record by field path. */
export function keyRecord(paths: readonly string[], key: readonly JsonValue[]): Record<string, JsonValue> {
  return Object.fromEntries(paths.map((p, i) => [p, key[i] ?? null]));
}
