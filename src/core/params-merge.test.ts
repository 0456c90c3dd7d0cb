import { describe, expect, it } from "vitest";
import { toTaggedJson } from "./codec.js";
import { mergeParams } from "./params-merge.js";

const t = (v: unknown) => toTaggedJson(v) as Record<string, unknown>;

describe("mergeParams", () => {
  it("adds new params, keeps set ones unless replace, merges objects key by key", () => {
    const current = t({ lr: 0.1, model: { depth: 2 } });
    const kept = mergeParams(current, t({ lr: 0.2, model: { width: 64 }, nParams: 7e9 }), false);
    expect(kept.params).toEqual({ lr: 0.1, model: { depth: 2, width: 64 }, nParams: 7e9 });
    expect(kept).toMatchObject({ added: ["model.width", "nParams"], kept: ["lr"], replaced: [] });
    const replaced = mergeParams(current, t({ lr: 0.2, model: { depth: 3 } }), true);
    expect(replaced.params).toEqual({ lr: 0.2, model: { depth: 3 } });
    expect(replaced).toMatchObject({ added: [], kept: [], replaced: ["lr", "model.depth"] });
    // the inputs are left as they were
    expect(current).toEqual({ lr: 0.1, model: { depth: 2 } });
  });

  it("treats an equal value (NaN, arrays, dates) as no change, and tagged values as leaves", () => {
    const current = t({ a: Number.NaN, b: [1, 2], d: new Date(0) });
    const m = mergeParams(current, t({ a: Number.NaN, b: [1, 2], d: new Date(0) }), false);
    expect(m).toMatchObject({ added: [], kept: [], replaced: [] });
    const n = mergeParams(current, t({ a: 1 }), true);
    expect(n.replaced).toEqual(["a"]);
    expect(n.params.a).toBe(1);
  });

  it("keeps __proto__ keys as data", () => {
    const patch = JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    const m = mergeParams({}, patch, false);
    expect(Object.hasOwn(m.params, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
