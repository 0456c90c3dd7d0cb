import { describe, expect, it } from "vitest";
import { rowObjects } from "./row-objects.js";

describe("rowObjects", () => {
  it("keys each row's values by column name, any name", () => {
    const names = ["id", "k0p", 'we"ird', "__proto__x", "a b", "id2"];
    const rows = [
      [1, 0.5, "x", null, "s", 2],
      [2, null, "y", 1, "t", 3],
    ];
    expect(rowObjects(names, rows)).toEqual([
      { id: 1, k0p: 0.5, 'we"ird': "x", __proto__x: null, "a b": "s", id2: 2 },
      { id: 2, k0p: null, 'we"ird': "y", __proto__x: 1, "a b": "t", id2: 3 },
    ]);
    expect(rowObjects(["x"], [])).toEqual([]);
  });

  it("lets a repeated name take its last value, as a driver's row object does", () => {
    expect(rowObjects(["v", "v"], [[1, 2]])).toEqual([{ v: 2 }]);
    const [o] = rowObjects(["__proto__"], [[{ polluted: true }]]);
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(Object.hasOwn(o!, "__proto__")).toBe(true);
  });
});
