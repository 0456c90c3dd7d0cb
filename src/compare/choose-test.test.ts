import { describe, expect, it } from "vitest";
import { isBinary, pairedTest } from "./choose-test.js";

const f = (xs: number[]) => Float64Array.from(xs);

describe("pairedTest", () => {
  it("McNemar for 0/1 values, the sign test for ranks, a permutation test for the rest", () => {
    expect(pairedTest("value", f([1, 1, 0]), f([0, 1, 0]), { seed: 1 }).name).toBe("mcnemar-exact");
    expect(pairedTest("pass", f([1, 1, 0]), f([0, 1, 0]), { seed: 1 }).name).toBe("mcnemar-exact");
    // Trial-averaged pass rates are no longer 0/1: permutation test.
    expect(pairedTest("pass", f([0.5, 1, 0]), f([0, 1, 0]), { seed: 1 }).name).toBe("permutation-exact");
    expect(pairedTest("order", f([2, 1, 0]), f([0, 1, 0]), { seed: 1 }).name).toBe("sign-exact");
    expect(pairedTest("value", f([0.3, 0.2]), f([0.1, 0.2]), { seed: 1 }).name).toBe("permutation-exact");
    expect(pairedTest("value", f([0.3, 0.2]), f([0.1, 0.2]), { seed: 1, continuous: "sign" }).name).toBe(
      "sign-exact",
    );
  });

  it("counts McNemar's discordant pairs the right way round", () => {
    // b (0 -> 1) = 7, c (1 -> 0) = 1: exact p = 18/256.
    const newer = f([1, 1, 1, 1, 1, 1, 1, 0, 1]);
    const older = f([0, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect(pairedTest("value", newer, older, { seed: 1 })).toEqual({
      name: "mcnemar-exact",
      statistic: 1,
      pValue: 18 / 256,
    });
    expect(isBinary(newer, older)).toBe(true);
    expect(isBinary(f([0.5]))).toBe(false);
  });
});
