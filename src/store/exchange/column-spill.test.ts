import { describe, expect, it } from "vitest";
import { chunkValue } from "./chunk-column.js";
import { ColumnSpill } from "./column-spill.js";

const rows = Array.from({ length: 23 }, (_, i) => ({
  n: i % 5 === 0 ? null : i / 2,
  s: `r${i}`,
  b: i % 2 === 0,
  t: new Date(1_700_000_000_000 + i),
  mixed: i % 3 === 0 ? "x" : i,
  obj: i === 7 ? { a: [1, 2] } : undefined,
}));

async function readBack(spill: ColumnSpill): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const chunk of spill.chunks()) {
    for (let i = 0; i < chunk.rows; i++) {
      const row: Record<string, unknown> = {};
      for (const [name, col] of chunk.columns) {
        const v = chunkValue(col, i);
        if (v !== undefined) row[name] = v;
      }
      out.push(row);
    }
  }
  return out;
}

describe("ColumnSpill", () => {
  it.each([
    ["kept in memory", {}],
    ["through its temporary file", { memoryBytes: 0 }],
  ])("gives the rows back in order, typed, %s", async (_, options) => {
    const spill = new ColumnSpill({ chunkRows: 4, ...options });
    for (const r of rows) await spill.add(r);
    const expected = rows.map((r) =>
      Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null && v !== undefined)),
    );
    expect(await readBack(spill)).toEqual(expected);
    expect([...spill.kinds]).toEqual([
      ["n", "double"],
      ["s", "string"],
      ["b", "boolean"],
      ["t", "timestamp"],
      ["mixed", "json"],
      ["obj", "json"],
    ]);
    spill.dispose();
  });
});
