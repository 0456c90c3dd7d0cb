import { describe, expect, it } from "vitest";
import { canonicalJson, fingerprint, sha256Hex } from "./canonical.js";
import { decodeJson, encodeJson } from "./codec.js";
import { deterministicRunId, runFingerprints } from "./fingerprints.js";

describe("canonical JSON", () => {
  it("sorts keys at every depth and writes stable number text", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 0.1 } })).toBe(
      '{"a":{"c":0.1,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ x: 1e-7, y: 1e21, z: -0, w: 100 })).toBe('{"w":100,"x":1e-7,"y":1e+21,"z":0}');
    expect(canonicalJson([Number.NaN, Number.POSITIVE_INFINITY])).toBe(
      '[{"$float":"NaN"},{"$float":"Infinity"}]',
    );
    expect(canonicalJson({ u: undefined, a: "é" })).toBe('{"a":"é"}');
  });

  it("gives the same fingerprint whatever the key order", () => {
    expect(fingerprint({ lr: 0.1, model: { name: "a", depth: 2 } })).toBe(
      fingerprint({ model: { depth: 2, name: "a" }, lr: 0.1 }),
    );
    expect(fingerprint({ lr: 0.1 })).not.toBe(fingerprint({ lr: 0.10000000000000002 }));
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("derives fingerprints and deterministic run ids", () => {
    const fp = runFingerprints({ a: 1 }, 42, { data: "v1" });
    expect(fp.paramsFingerprint).toBe(sha256Hex('{"a":1}'));
    expect(fp.seedFingerprint).toBe(sha256Hex("42"));
    expect(fp.contextFingerprint).toBe(sha256Hex('{"data":"v1"}'));
    const id = deterministicRunId("x:1.0.0", fp);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(deterministicRunId("x:1.0.0", runFingerprints({ a: 1 }, 42, { data: "v1" }))).toBe(id);
    expect(deterministicRunId("x:1.0.1", fp)).not.toBe(id);
    expect(deterministicRunId("x:1.0.0", runFingerprints({ a: 1 }, 43, { data: "v1" }))).not.toBe(id);
  });
});

describe("tagged JSON codec", () => {
  it("round-trips non-finite numbers, typed arrays, dates and $-keys", () => {
    const v = {
      n: Number.NaN,
      i: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
      f: new Float64Array([1, 2.5]),
      u: new Uint8Array([255]),
      d: new Date("2026-01-02T03:04:05.000Z"),
      dollar: { $float: "not a tag" },
      typedLike: { $typed: "NotAnArray", data: "x" },
      s: "NaN",
    };
    const back = decodeJson<typeof v>(encodeJson(v));
    expect(back.n).toBeNaN();
    expect(back.i).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(back.f).toBeInstanceOf(Float64Array);
    expect([...back.f]).toEqual([1, 2.5]);
    expect(back.u).toBeInstanceOf(Uint8Array);
    expect(back.d).toEqual(v.d);
    expect(back.dollar).toEqual({ $float: "not a tag" });
    expect(back.typedLike).toEqual({ $typed: "NotAnArray", data: "x" });
    expect(back.s).toBe("NaN");
  });

  it("keeps an own __proto__ key as data (as JSON.parse makes it), never as the prototype", () => {
    const v = JSON.parse('{"__proto__":{"polluted":true,"n":1},"a":1,"deep":{"__proto__":2}}');
    const text = encodeJson(v);
    expect(JSON.parse(text)).toEqual(v);
    const back = decodeJson<Record<string, unknown>>(text);
    expect(Object.hasOwn(back, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect((back as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(back)).toBe(text);
    expect(canonicalJson(v)).toBe('{"__proto__":{"n":1,"polluted":true},"a":1,"deep":{"__proto__":2}}');
  });

  it("refuses functions, symbols, bigints and cycles, naming the path", () => {
    expect(() => encodeJson({ a: { b: () => 1 } }, "params")).toThrow(
      /params\.a\.b: must be a JSON-like value.*a function/,
    );
    expect(() => encodeJson({ a: [1, Symbol("s")] }, "params")).toThrow(/params\.a\[1\]/);
    expect(() => encodeJson({ a: 1n }, "params")).toThrow(/params\.a/);
    const cyc: Record<string, unknown> = { x: 1 };
    cyc.self = cyc;
    expect(() => encodeJson(cyc, "params")).toThrow(/params\.self: cyclic reference/);
    const shared = { k: 1 };
    expect(encodeJson({ a: shared, b: shared })).toBe('{"a":{"k":1},"b":{"k":1}}');
  });
});

describe("tagged JSON codec: what it refuses", () => {
  it("refuses objects that would lose their content, naming the path and what they are", () => {
    class Point {
      x = 1;
    }
    expect(() => encodeJson({ m: new Map([["a", 1]]) }, "params")).toThrow(/^params\.m: .*; received a Map$/);
    expect(() => encodeJson({ s: [new Set([1])] }, "params")).toThrow(/^params\.s\[0\]: .*; received a Set$/);
    expect(() => encodeJson({ p: new Point() }, "params")).toThrow(
      /^params\.p: .*; received an instance of Point$/,
    );
    expect(() => encodeJson({ v: new DataView(new ArrayBuffer(2)) }, "params")).toThrow(
      /instance of DataView/,
    );
    expect(() => encodeJson({ d: new Date("garbage") }, "params")).toThrow(
      /^params\.d: must be a valid Date/,
    );
    expect(encodeJson(Object.assign(Object.create(null), { a: 1 }))).toBe('{"a":1}');
    const back = decodeJson<{ b: Uint8Array }>(encodeJson({ b: Buffer.from([1, 2]) }));
    expect(back.b).toBeInstanceOf(Uint8Array);
    expect([...back.b]).toEqual([1, 2]);
  });

  it("refuses malformed tags when decoding, naming the path (never NaN, an invalid date or an internal error)", () => {
    expect(() => decodeJson('{"a":{"$float":"bogus"}}')).toThrow(/^value\.a: \{"\$float": \.\.\.\} must be/);
    expect(() => decodeJson('{"a":[1,{"$date":"garbage"}]}')).toThrow(
      /^value\.a\[1\]: \{"\$date": \.\.\.\} must be an ISO date/,
    );
    expect(() => decodeJson('{"t":{"$typed":"Evil"}}')).toThrow(
      /^value\.t: \{"\$typed": \.\.\.\} must name a typed array/,
    );
    expect(() => decodeJson('{"t":{"$typed":"Float32Array","data":"!!"}}')).toThrow(
      /must carry its bytes as base64/,
    );
    expect(() => decodeJson('{"t":{"$typed":"Float32Array","data":"AAA="}}')).toThrow(/holds 2 bytes/);
    expect(() => decodeJson('{"o":{"$obj":[1]}}')).toThrow(
      /^value\.o: \{"\$obj": \.\.\.\} must hold an object/,
    );
    expect(decodeJson('{"$other":1}')).toEqual({ $other: 1 });
    // A Buffer stored by an earlier version (tagged "Buffer") reads back as a Uint8Array.
    expect(decodeJson('{"b":{"$typed":"Buffer","data":"AQI="}}')).toEqual({ b: new Uint8Array([1, 2]) });
  });

  it("limits nesting: 500 levels encoded, 1,000 decoded, without running out of stack", () => {
    const deep = (n: number) => {
      let v: unknown = 1;
      for (let i = 0; i < n; i++) v = [v];
      return v;
    };
    expect(() => encodeJson(deep(500))).not.toThrow();
    expect(() => encodeJson(deep(501))).toThrow(/nests more than 500 levels deep \(the limit\)$/);
    expect(() => encodeJson(deep(100_000))).toThrow(/nests more than 500 levels deep/);
    expect(() => decodeJson(`${"[".repeat(1000)}${"]".repeat(1000)}`)).not.toThrow();
    expect(() => decodeJson(`${"[".repeat(100_000)}${"]".repeat(100_000)}`)).toThrow(
      /^value\[0\]\[0\].*\.\.\.: nests more than 1000 levels deep \(the limit\)$/,
    );
  });
});
