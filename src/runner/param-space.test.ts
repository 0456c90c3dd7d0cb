import { describe, expect, it } from "vitest";
import { expandParams } from "./param-space.js";
import { choice, intBetween, logUniform, sample, uniform } from "./sampler.js";
import { Tagged, tag } from "./tag.js";

describe("param spaces", () => {
  it("a grid is the cartesian product, first key slowest; shared objects stay shared", () => {
    const a = { name: "a" };
    const b = { name: "b" };
    const out = expandParams({ lr: [1, 2], model: [a, b], fixed: "x" });
    expect(out.map((c) => [c.params.lr, (c.params.model as { name: string }).name])).toEqual([
      [1, "a"],
      [1, "b"],
      [2, "a"],
      [2, "b"],
    ]);
    expect(out[0]!.params.model).toBe(out[2]!.params.model);
    expect(out[0]!.params.fixed).toBe("x");
  });

  it("nested objects are sub-grids; an object without choices is kept as is", () => {
    const frozen = { depth: 3, act: "relu" };
    const out = expandParams({ opt: { lr: [1, 2], momentum: [0, 0.9] }, net: frozen, layers: [[64, 64]] });
    expect(out).toHaveLength(4);
    expect(out.map((c) => c.params.opt)).toContainEqual({ lr: 2, momentum: 0.9 });
    for (const c of out) {
      expect(c.params.net).toBe(frozen);
      expect(c.params.layers).toEqual([64, 64]);
    }
  });

  it("tag() marks a param: its value becomes a tag (a tagged list tags each choice)", () => {
    const out = expandParams({ lr: tag([0.1, 0.01]), model: [tag("a"), "b"], opt: { wd: tag([0, 1]) } });
    expect(out).toHaveLength(8);
    expect(out[0]!.tags).toEqual({ lr: "0.1", model: "a", "opt.wd": "0" });
    expect(out[3]!.tags).toEqual({ lr: "0.1", "opt.wd": "1" });
    expect(out[0]!.params).toEqual({ lr: 0.1, model: "a", opt: { wd: 0 } });
  });

  it("an explicit list runs as given, tags unwrapped, untagged objects kept", () => {
    const m = { name: "m" };
    const out = expandParams([
      { lr: tag(1), model: m },
      { lr: 2, model: m },
    ]);
    expect(out[0]!.tags).toEqual({ lr: "1" });
    expect(out[1]!.params.model).toBe(m);
    expect(() => expandParams([])).toThrow(/must not be empty/);
    expect(() => expandParams([3 as never])).toThrow(/params\[0\]/);
  });

  it("a seeded sampler draws the same configs for the same seed", () => {
    const shared = { name: "s" };
    const space = {
      lr: logUniform(1e-5, 1e-1),
      drop: uniform(0, 0.5),
      depth: tag(intBetween(1, 8)),
      model: choice([shared]),
      fixed: { k: 1 },
    };
    const a = expandParams(sample({ count: 20, seed: 7, space }));
    const b = expandParams(sample({ count: 20, seed: 7, space }));
    const c = expandParams(sample({ count: 20, seed: 8, space }));
    expect(a.map((x) => x.params.lr)).toEqual(b.map((x) => x.params.lr));
    expect(a.map((x) => x.params.lr)).not.toEqual(c.map((x) => x.params.lr));
    for (const x of a) {
      expect(x.params.lr as number).toBeGreaterThanOrEqual(1e-5);
      expect(x.params.lr as number).toBeLessThan(1e-1);
      expect(Number.isInteger(x.params.depth)).toBe(true);
      expect(x.tags.depth).toBe(String(x.params.depth));
      expect(x.params.model).toBe(shared);
    }
    const f = expandParams(sample({ count: 3, seed: 1, space: (rng, i) => ({ i, r: rng() }) }));
    expect(f.map((x) => x.params.i)).toEqual([0, 1, 2]);
    expect(() => sample({ count: 0, space: {} })).toThrow(/count/);
  });
});

describe("tags made by another copy of labbook", () => {
  it("are recognised (the built CLI running a module that imports the sources)", () => {
    // what another copy's tag([0.1, 0.01]) is: an object of another class with the shared mark
    class OtherTagged {
      constructor(readonly value: unknown) {
        Object.defineProperty(this, Symbol.for("labbook.tag"), { value: true });
      }
    }
    const t = new OtherTagged([0.1, 0.01]);
    expect(t instanceof Tagged).toBe(true);
    expect({ value: 1 } instanceof Tagged).toBe(false);
    expect(expandParams({ lr: t }).map((c) => c.tags)).toEqual([{ lr: "0.1" }, { lr: "0.01" }]);
  });
});
