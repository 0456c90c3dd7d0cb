import fc from "fast-check";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { SortPlan } from "./compile-sort.js";
import { firstAfter, type OrderRow, orderCompare, orderOf, orderRows, refreshOrder } from "./match-order.js";

// An order by a class key (as a param sort compiles: class, number, text) descending, ties by run_id.
const plan = {
  keys: [{ desc: true, cls: sql`c`, num: sql`n`, text: sql`t` }],
  tieDesc: true,
} as unknown as SortPlan;
const names = ["id", "tie0", "k0c", "k0n", "k0t"];
const cmp = orderCompare(names, plan);

const rowOf = (id: number, v: number | string | null): OrderRow => [
  id,
  `run${String(id % 7)}-${id}`,
  v === null ? 4 : typeof v === "number" ? 0 : 1,
  typeof v === "number" ? v : null,
  typeof v === "string" ? v : null,
];
const value = fc.oneof(fc.constantFrom(0.1, 0.01, 1, -2), fc.constantFrom("a", "b", "é"), fc.constant(null));

describe("kept match orders", () => {
  it("stay sorted and complete after any drops and additions, small or large", () => {
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 120 }),
        fc.array(fc.tuple(fc.nat({ max: 200 }), value), { maxLength: 80 }),
        (initial, changes) => {
          const rows = initial.map((v, i) => rowOf(i, v)).sort(cmp.rows);
          const order = orderOf(names, rows, cmp);
          const changed = new Map(changes.map(([id, v]) => [id, v]));
          const dropped = new Set([...changed.keys()].filter((id) => id < initial.length));
          const fresh = [...changed].filter(([, v]) => v !== "b").map(([id, v]) => rowOf(id, v));
          refreshOrder(order, dropped, fresh);
          const expected = [...rows.filter((r) => !dropped.has(Number(r[0]))), ...fresh].sort(cmp.rows);
          expect(order.length).toBe(expected.length);
          expect(orderRows(order, 0, order.length)).toEqual(expected);
          for (const [k, r] of expected.entries()) expect(firstAfter(order, r)).toBe(k + 1);
        },
      ),
      { numRuns: 500 },
    );
  });
});
