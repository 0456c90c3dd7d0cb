import { distance } from "fastest-levenshtein";
import { invalid, LabbookError } from "./errors.js";

/**
 * The keys an options object accepts, as a record of `true`: written `satisfies KnownKeys<T>`,
 * it lists every key of `T` and nothing else, so a new option fails to compile until listed.
 *
 * @example
 * const LOG_KEYS = { step: true } as const satisfies KnownKeys<{ step?: number }>;
 */
export type KnownKeys<T> = { readonly [K in keyof Required<T>]: true };

const squash = (s: string) => s.toLowerCase().replace(/[_-]/g, "");

/**
 * The known key an unknown one was most likely meant to be: the same letters but for case,
 * `_` and `-` (`datapoint_id` for `datapointId`), else the closest within two edits (and at
 * most half its length); `undefined` when none is close.
 *
 * @example
 * nearestKey("parms", ["experiment", "params", "seed"]); // "params"
 */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  const same = known.find((k) => squash(k) === squash(key));
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = distance(key, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return bestDistance <= 2 && bestDistance <= key.length / 2 ? best : undefined;
}

/**
 * The `INVALID_ARGUMENT` error for a key that is not an option: it names the key (as the
 * field, with `prefix`), where it was given, the known keys and the nearest one. `what` is the
 * call whose options these are (`startRun`: "is not an option of startRun"), or the thing whose
 * fields they are, with its article (`a row`: "is not a field of a row").
 *
 * @example
 * unknownKeyError("stp", ["step"], "logMetrics options").message;
 * // 'stp: is not an option of logMetrics options (step); did you mean "step"?'
 */
export function unknownKeyError(
  key: string,
  known: readonly string[],
  what: string,
  prefix = "",
): LabbookError {
  const near = nearestKey(key, known);
  const field = `${prefix}${key}`;
  return new LabbookError("INVALID_ARGUMENT", `${field}: ${unknownKeyRule(key, known, what)}`, {
    field,
    details: { unknown: key, known: [...known], ...(near === undefined ? {} : { nearest: near }) },
  });
}

/**
 * The rule an unknown key broke, as {@link unknownKeyError} words it (without the field).
 *
 * @example
 * unknownKeyRule("stp", ["step"], "logMetrics"); // 'is not an option of logMetrics (step); did you mean "step"?'
 */
export function unknownKeyRule(key: string, known: readonly string[], what: string): string {
  const near = nearestKey(key, known);
  const hint = near === undefined ? "" : `; did you mean ${JSON.stringify(near)}?`;
  const noun = /^(a|an|the) /.test(what) ? "a field of" : "an option of";
  return `is not ${noun} ${what} (${known.join(", ")})${hint}`;
}

/**
 * Refuses a key of `value` that `known` does not list (a misspelt option must not be ignored
 * silently). `value` must be an object; `prefix` names its place (`rows[3].`).
 *
 * @example
 * checkKeys({ stp: 3 }, { step: true }, "logMetrics options"); // throws: stp: is not an option ...
 */
export function checkKeys(
  value: object,
  known: Readonly<Record<string, true>>,
  what: string,
  prefix = "",
): void {
  for (const k of Object.keys(value)) {
    if (!Object.hasOwn(known, k)) throw unknownKeyError(k, Object.keys(known), what, prefix);
  }
}

/**
 * An options object: `undefined` or an object whose keys are all known. Errors name the
 * unknown key and the nearest known one.
 *
 * @example
 * checkOptions({ stp: 3 }, { step: true }, "logMetric"); // throws: stp: is not an option of logMetric (step); did you mean "step"?
 */
export function checkOptions(options: unknown, known: Readonly<Record<string, true>>, what: string): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options))
    throw invalid("options", `must be an object of options of ${what}`, options);
  checkKeys(options, known, what);
}
