import { fromTaggedJson, toTaggedJson } from "./codec.js";
import { describeValue, LabbookError } from "./errors.js";

/**
 * An object graph as JSON lines, as experimaestro keeps configs in `objects.jsonl`: every
 * object and array is one node line, written once however many times it is referred to,
 * children before parents; a slot that holds an object holds `{"$ref": id}` instead. Leaves
 * use the tags of `core/codec` (NaN, dates, typed arrays). Decoding gives back one JS object
 * per node, so values that shared a sub-object share it again (`===`).
 */
export interface GraphNodeLine {
  kind: "object" | "array";
  id: number;
  value: Record<string, unknown> | unknown[];
}

/** A slot: a tagged JSON leaf or `{ $ref: id }`. */
export type GraphSlot = unknown;

function isNode(v: unknown): v is object {
  if (v === null || typeof v !== "object") return false;
  if (ArrayBuffer.isView(v) || v instanceof Date) return false;
  return true;
}

/**
 * Encodes values into node lines, remembering the objects it has written: a later value
 * that refers to one of them gets a `$ref` to the line already written. With
 * `cycles: "error"` (default) a cycle is an `INVALID_ARGUMENT` error naming its path; with
 * `"allow"` the back reference points to the ancestor's line, which follows it.
 *
 * @example
 * const w = new ObjectGraphWriter();
 * const shared = { name: "bert" };
 * const a = w.add({ model: shared, lr: 0.1 }); // 2 lines, a.ref = { $ref: 2 }
 * const b = w.add({ model: shared, lr: 0.2 }); // 1 line: the model is referred to
 */
export class ObjectGraphWriter {
  readonly #ids = new WeakMap<object, number>();
  readonly #open = new Set<object>();
  readonly #cycles: "error" | "allow";
  #next: number;

  constructor(options: { cycles?: "error" | "allow"; firstId?: number } = {}) {
    this.#cycles = options.cycles ?? "error";
    this.#next = options.firstId ?? 1;
  }

  /** Encodes a value: the lines it adds (children first) and the slot that refers to it. */
  add(value: unknown, path = "value"): { lines: GraphNodeLine[]; ref: GraphSlot } {
    const lines: GraphNodeLine[] = [];
    const ref = this.#slot(value, path, lines);
    return { lines, ref };
  }

  #slot(value: unknown, path: string, lines: GraphNodeLine[]): GraphSlot {
    if (!isNode(value)) return toTaggedJson(value, path);
    const known = this.#ids.get(value);
    if (known !== undefined) {
      if (this.#open.has(value) && this.#cycles === "error") {
        throw new LabbookError(
          "INVALID_ARGUMENT",
          `${path}: cyclic reference (an object contains itself); configs must be acyclic`,
          { field: path },
        );
      }
      return { $ref: known };
    }
    if (
      value instanceof Map ||
      value instanceof Set ||
      value instanceof WeakMap ||
      value instanceof Promise
    ) {
      throw new LabbookError(
        "INVALID_ARGUMENT",
        `${path}: must be a plain object, array or JSON-like value; received a ${value.constructor.name}`,
        { field: path },
      );
    }
    const id = this.#next++;
    this.#ids.set(value, id);
    this.#open.add(value);
    try {
      if (Array.isArray(value)) {
        const out = value.map((v, i) => this.#slot(v, `${path}[${i}]`, lines));
        lines.push({ kind: "array", id, value: out });
      } else {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
          if (v === undefined) continue;
          if (typeof v === "function" || typeof v === "symbol" || typeof v === "bigint") {
            throw new LabbookError(
              "INVALID_ARGUMENT",
              `${path}.${k}: must be a JSON-like value; received ${describeValue(v)}`,
              { field: `${path}.${k}` },
            );
          }
          out[k] = this.#slot(v, `${path}.${k}`, lines);
        }
        lines.push({ kind: "object", id, value: out });
      }
    } finally {
      this.#open.delete(value);
    }
    return { $ref: id };
  }
}

function refOf(slot: unknown): number | undefined {
  if (slot === null || typeof slot !== "object" || Array.isArray(slot)) return undefined;
  const keys = Object.keys(slot);
  if (keys.length !== 1 || keys[0] !== "$ref") return undefined;
  const id = (slot as { $ref: unknown }).$ref;
  return typeof id === "number" ? id : undefined;
}

/**
 * Decodes node lines into one JS object per node (by id). Lines may come in any order
 * (cycles refer forward); an unknown reference is an `INVALID_ARGUMENT` error.
 *
 * @example
 * const nodes = decodeObjectGraph(lines);
 * const config = resolveGraphSlot({ $ref: 3 }, nodes);
 */
export function decodeObjectGraph(lines: Iterable<GraphNodeLine>): Map<number, object> {
  const nodes = new Map<number, object>();
  const all: GraphNodeLine[] = [];
  for (const line of lines) {
    if (!line || (line.kind !== "object" && line.kind !== "array") || typeof line.id !== "number") {
      throw new LabbookError("INVALID_ARGUMENT", `object graph: malformed node line ${JSON.stringify(line)}`);
    }
    nodes.set(line.id, line.kind === "array" ? [] : {});
    all.push(line);
  }
  for (const line of all) {
    const target = nodes.get(line.id)!;
    if (line.kind === "array") {
      const arr = target as unknown[];
      for (const v of line.value as unknown[]) arr.push(resolveGraphSlot(v, nodes));
    } else {
      const obj = target as Record<string, unknown>;
      for (const [k, v] of Object.entries(line.value as Record<string, unknown>)) {
        obj[k] = resolveGraphSlot(v, nodes);
      }
    }
  }
  return nodes;
}

/**
 * The value a slot stands for: the node it refers to, or its decoded leaf.
 *
 * @example
 * resolveGraphSlot({ $float: "NaN" }, new Map()); // NaN
 */
export function resolveGraphSlot(slot: GraphSlot, nodes: ReadonlyMap<number, object>): unknown {
  const id = refOf(slot);
  if (id === undefined) return fromTaggedJson(slot);
  const node = nodes.get(id);
  if (!node) throw new LabbookError("INVALID_ARGUMENT", `object graph: reference to unknown object ${id}`);
  return node;
}

/**
 * A whole value as one self-contained graph (`{ root, nodes }`), cycles and shared
 * sub-objects kept: how saved objects are stored.
 *
 * @example
 * const text = JSON.stringify(encodeGraphValue(value));
 * const back = decodeGraphValue(JSON.parse(text));
 */
export function encodeGraphValue(
  value: unknown,
  path = "value",
): { root: GraphSlot; nodes: GraphNodeLine[] } {
  const { lines, ref } = new ObjectGraphWriter({ cycles: "allow" }).add(value, path);
  return { root: ref, nodes: lines };
}

/**
 * Decodes what {@link encodeGraphValue} produced.
 *
 * @example
 * decodeGraphValue(encodeGraphValue({ a: 1 })); // { a: 1 }
 */
export function decodeGraphValue(encoded: { root: GraphSlot; nodes: GraphNodeLine[] }): unknown {
  return resolveGraphSlot(encoded.root, decodeObjectGraph(encoded.nodes ?? []));
}
