/**
 * JSON Schema inference from examples, as genson does: every value observed widens the
 * schema (types united, object properties merged, `required` = keys present every time).
 */
interface Node {
  types: Set<string>;
  properties: Map<string, Node>;
  /** How many objects were seen, and how often each key was present. */
  objects: number;
  seen: Map<string, number>;
  items: Node | null;
  format: string | null;
}

function node(): Node {
  return { types: new Set(), properties: new Map(), objects: 0, seen: new Map(), items: null, format: null };
}

function observe(n: Node, v: unknown): void {
  if (v === null || v === undefined) n.types.add("null");
  else if (typeof v === "boolean") n.types.add("boolean");
  else if (typeof v === "number") n.types.add(Number.isSafeInteger(v) ? "integer" : "number");
  else if (typeof v === "string") n.types.add("string");
  else if (v instanceof Date) {
    n.types.add("string");
    n.format = "date-time";
  } else if (ArrayBuffer.isView(v)) {
    n.types.add("array");
    n.items ??= node();
    n.items.types.add("number");
  } else if (Array.isArray(v)) {
    n.types.add("array");
    n.items ??= node();
    for (const x of v) observe(n.items, x);
  } else if (typeof v === "object") {
    n.types.add("object");
    n.objects++;
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) continue;
      const child = n.properties.get(k) ?? node();
      n.properties.set(k, child);
      n.seen.set(k, (n.seen.get(k) ?? 0) + 1);
      observe(child, x);
    }
  } else n.types.add("string");
}

function toSchema(n: Node): Record<string, unknown> {
  const types = [...n.types];
  if (types.includes("integer") && types.includes("number")) types.splice(types.indexOf("integer"), 1);
  const out: Record<string, unknown> = {};
  if (types.length === 1) out.type = types[0];
  else if (types.length > 1) out.type = types.sort();
  if (n.format) out.format = n.format;
  if (n.types.has("object")) {
    out.properties = Object.fromEntries([...n.properties].map(([k, c]) => [k, toSchema(c)]));
    const required = [...n.seen].filter(([, c]) => c === n.objects).map(([k]) => k);
    if (required.length > 0) out.required = required;
  }
  if (n.types.has("array") && n.items && n.items.types.size > 0) out.items = toSchema(n.items);
  return out;
}

/**
 * Accumulates examples into one JSON Schema (draft 2020-12).
 *
 * @example
 * const s = new SchemaBuilder();
 * s.observe({ lr: 0.1, model: "a" });
 * s.observe({ lr: 1, model: "b", extra: true });
 * s.schema(); // { type: "object", properties: { lr: { type: "number" }, ... }, required: ["lr", "model"] }
 */
export class SchemaBuilder {
  readonly #root = node();

  observe(value: unknown): void {
    observe(this.#root, value);
  }

  /** Observes `value` at a path of object keys (`["metrics", "loss"]`). */
  observeAt(path: readonly string[], value: unknown): void {
    let n = this.#root;
    for (const key of path) {
      n.types.add("object");
      let child = n.properties.get(key);
      if (!child) {
        child = node();
        n.properties.set(key, child);
      }
      n = child;
    }
    observe(n, value);
  }

  schema(): Record<string, unknown> {
    return { $schema: "https://json-schema.org/draft/2020-12/schema", ...toSchema(this.#root) };
  }
}
