type Build = (row: readonly unknown[]) => Record<string, unknown>;

const builders = new Map<string, Build>();

/**
 * A function building `{ [names[i]]: row[i] }` from a row array, compiled once per column list:
 * an object literal of fixed shape is several times cheaper than adding properties one by one.
 * Names are column names of labbook's own queries, written as JSON string keys.
 */
function builder(names: readonly string[]): Build {
  const key = names.join("\u0000");
  let build = builders.get(key);
  if (!build) {
    // A literal `"__proto__": x` would set the prototype; a computed key defines the property.
    const fields = names
      .map((n, i) => (n === "__proto__" ? `["__proto__"]: r[${i}]` : `${JSON.stringify(n)}: r[${i}]`))
      .join(", ");
    build = new Function("r", `return { ${fields} };`) as Build;
    if (builders.size >= 200) builders.clear();
    builders.set(key, build);
  }
  return build;
}

/**
 * Rows fetched as arrays, as objects keyed by column name (the last of a repeated name wins).
 *
 * @example
 * rowObjects(["id", "name"], [[1, "a"]]); // [{ id: 1, name: "a" }]
 */
export function rowObjects(
  names: readonly string[],
  rows: readonly (readonly unknown[])[],
): Record<string, unknown>[] {
  const build = builder(names);
  const out: Record<string, unknown>[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = build(rows[i]!);
  return out;
}

/**
 * Row objects as arrays in column order, with the column names (those of the first row: a
 * driver that returns objects gives no names without a row).
 *
 * @example
 * rowArrays([{ id: 1, name: "a" }]); // { names: ["id", "name"], rows: [[1, "a"]] }
 */
export function rowArrays(rows: readonly Record<string, unknown>[]): { names: string[]; rows: unknown[][] } {
  const names = rows[0] ? Object.keys(rows[0]) : [];
  return { names, rows: rows.map((r) => names.map((n) => r[n])) };
}
