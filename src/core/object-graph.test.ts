import { describe, expect, it } from "vitest";
import {
  decodeGraphValue,
  decodeObjectGraph,
  encodeGraphValue,
  ObjectGraphWriter,
  resolveGraphSlot,
} from "./object-graph.js";

describe("object graph", () => {
  it("writes a shared sub-object once and reads it back as one object", () => {
    const w = new ObjectGraphWriter();
    const shared = { name: "bert", dims: [768, 12] };
    const a = w.add({ model: shared, lr: 0.1 });
    const b = w.add({ model: shared, lr: NaN });
    expect(a.lines.map((l) => l.kind)).toEqual(["array", "object", "object"]);
    expect(b.lines).toHaveLength(1);
    const nodes = decodeObjectGraph([...a.lines, ...b.lines]);
    const ca = resolveGraphSlot(a.ref, nodes) as { model: unknown; lr: number };
    const cb = resolveGraphSlot(b.ref, nodes) as { model: unknown; lr: number };
    expect(ca.model).toBe(cb.model);
    expect(ca.model).toEqual(shared);
    expect(cb.lr).toBeNaN();
  });

  it("children come before parents", () => {
    const { lines } = new ObjectGraphWriter().add({ a: { b: { c: [1] } } });
    const order = lines.map((l) => l.id);
    for (const l of lines) {
      for (const ref of JSON.stringify(l.value).matchAll(/"\$ref":(\d+)/g)) {
        expect(order.indexOf(Number(ref[1]))).toBeLessThan(order.indexOf(l.id));
      }
    }
  });

  it("refuses a cycle by default, naming the path", () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = { back: a };
    expect(() => new ObjectGraphWriter().add(a, "params")).toThrow(/params\.self\.back: cyclic reference/);
  });

  it("round-trips cycles, dates and typed arrays as a saved value", () => {
    const a: Record<string, unknown> = {
      when: new Date("2026-01-02T03:04:05Z"),
      v: new Float32Array([1.5, 2]),
    };
    a.self = a;
    a.list = [a, { k: "$ref" }];
    const back = decodeGraphValue(JSON.parse(JSON.stringify(encodeGraphValue(a)))) as Record<string, unknown>;
    expect(back.self).toBe(back);
    expect((back.list as unknown[])[0]).toBe(back);
    expect((back.list as unknown[])[1]).toEqual({ k: "$ref" });
    expect(back.when).toEqual(new Date("2026-01-02T03:04:05Z"));
    expect(back.v).toEqual(new Float32Array([1.5, 2]));
  });

  it("refuses functions and Maps with the path", () => {
    expect(() => encodeGraphValue({ f: () => 1 })).toThrow(/value\.f: must be a JSON-like value/);
    expect(() => encodeGraphValue({ m: new Map() })).toThrow(/value\.m: .*Map/);
    expect(() => decodeObjectGraph([{ kind: "object", id: 1, value: { a: { $ref: 9 } } }])).toThrow(
      /unknown object 9/,
    );
  });
});
