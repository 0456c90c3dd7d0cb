import { describe, expect, it } from "vitest";
import { checkKeys, checkOptions, nearestKey } from "./known-keys.js";

describe("known keys", () => {
  it("suggest the nearest key when it is obvious, and none otherwise", () => {
    expect(nearestKey("parms", ["experiment", "params", "seed"])).toBe("params");
    expect(nearestKey("stp", ["step"])).toBe("step");
    expect(nearestKey("stpe", ["step"])).toBe("step");
    expect(nearestKey("datapoint_id", ["datapointId", "scores"])).toBe("datapointId");
    expect(nearestKey("MediaType", ["kind", "mediaType"])).toBe("mediaType");
    expect(nearestKey("xyz", ["step"])).toBeUndefined();
    expect(nearestKey("ab", ["cd"])).toBeUndefined();
  });

  it("refuse an unknown key with its field, the known keys and the nearest", () => {
    expect(() => checkKeys({ step: 1, stp: 2 }, { step: true }, "logMetric")).toThrow(
      'stp: is not an option of logMetric (step); did you mean "step"?',
    );
    expect(() => checkKeys({ scorez: {} }, { scores: true }, "a row", "rows[2].")).toThrow(
      /^rows\[2\]\.scorez: is not a field of a row \(scores\); did you mean "scores"\?$/,
    );
    try {
      checkOptions({ zzz: 1 }, { step: true }, "logMetric");
    } catch (e) {
      expect(e).toMatchObject({
        code: "INVALID_ARGUMENT",
        field: "zzz",
        details: { unknown: "zzz", known: ["step"] },
      });
    }
    expect(() => checkOptions(undefined, { step: true }, "logMetric")).not.toThrow();
    expect(() => checkOptions(3, { step: true }, "logMetric")).toThrow(/^options: must be an object/);
    // An own "__proto__" key (as JSON.parse makes it) is a key like any other.
    expect(() => checkKeys(JSON.parse('{"__proto__": 1}'), { step: true }, "logMetric")).toThrow(
      /^__proto__: /,
    );
  });
});
