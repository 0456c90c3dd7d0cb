import { mcnemarTest } from "../stats/mcnemar.js";
import { pairedPermutationTest } from "../stats/permutation.js";
import { signTest } from "../stats/sign-test.js";
import type { TestResult } from "../stats/types.js";
import type { CompareBy } from "./types.js";

/**
 * True when every value is exactly 0 or 1.
 *
 * @example
 * isBinary(Float64Array.from([0, 1, 1])); // true
 */
export function isBinary(...arrays: Float64Array[]): boolean {
  for (const a of arrays) for (let i = 0; i < a.length; i++) if (a[i] !== 0 && a[i] !== 1) return false;
  return true;
}

/**
 * The paired test of a metric's deltas (`new - old`, no NaN):
 * - McNemar's test when every paired value is 0 or 1 (boolean and 0/1 scores, rubric
 *   pass/fail): `b` = pairs 0 -> 1, `c` = pairs 1 -> 0; exact up to 10,000 discordant pairs,
 *   chi-square with continuity correction above.
 * - The sign test for category ranks (`order`): only the direction of a change means
 *   something; exact up to 10,000 non-zero deltas, normal approximation above.
 * - Otherwise (continuous values, or pass rates of averaged trials) the seeded paired
 *   permutation test (`continuous: "permutation"`, the default: it weighs the size of each
 *   change) or the sign test (`continuous: "sign"`): permutation exact up to 16 non-zero
 *   deltas, 10,000 sampled sign patterns up to 2,000, normal approximation above.
 *
 * @example
 * pairedTest("value", Float64Array.from([1, 1, 0]), Float64Array.from([0, 1, 0]), { seed: 1 }).name; // "mcnemar-exact"
 */
export function pairedTest(
  compareBy: CompareBy,
  newValues: Float64Array,
  oldValues: Float64Array,
  options: { seed: number; continuous?: "permutation" | "sign" },
): TestResult {
  const n = newValues.length;
  if (compareBy !== "order" && isBinary(newValues, oldValues)) {
    let b = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      if (newValues[i]! > oldValues[i]!) b++;
      else if (newValues[i]! < oldValues[i]!) c++;
    }
    return mcnemarTest(b, c);
  }
  const deltas = new Float64Array(n);
  for (let i = 0; i < n; i++) deltas[i] = newValues[i]! - oldValues[i]!;
  if (compareBy === "order" || options.continuous === "sign") {
    const { name, statistic, pValue } = signTest(deltas);
    return { name, statistic, pValue };
  }
  const { name, statistic, pValue } = pairedPermutationTest(deltas, { seed: options.seed });
  return { name, statistic, pValue };
}
