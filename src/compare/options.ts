import { invalid } from "../core/errors.js";
import { checkKeys, type KnownKeys } from "../core/known-keys.js";
import type { AggregateFunction } from "../scores/types.js";
import { DEFAULT_SEED } from "../stats/prng.js";
import { AGGREGATE_FUNCTIONS } from "./aggregate.js";
import type { CompareRunsOptions } from "./types.js";

/** Defaults of a run comparison. */
export const COMPARE_DEFAULTS = { aggregate: "average", maxDrop: 0.01, alpha: 0.05, idLimit: 100 } as const;

export interface CheckedCompareOptions {
  aggregate: AggregateFunction;
  metrics: string[] | undefined;
  maxDrop: number;
  alpha: number;
  seed: number;
  includeIds: boolean;
  idLimit: number;
  continuousTest: "permutation" | "sign";
}

/**
 * Validates the options of a run comparison and fills the defaults (errors name the option,
 * the rule and the value).
 *
 * @example
 * checkCompareOptions({ alpha: 0.01 }).maxDrop; // 0.01
 */
const KEYS = {
  aggregate: true,
  metrics: true,
  maxDrop: true,
  alpha: true,
  seed: true,
  includeIds: true,
  idLimit: true,
  continuousTest: true,
} as const satisfies KnownKeys<CompareRunsOptions>;

export function checkCompareOptions(options: CompareRunsOptions = {}): CheckedCompareOptions {
  if (options === null || typeof options !== "object") throw invalid("options", "must be an object", options);
  checkKeys(options, KEYS, "compareRuns");
  const o = options;
  const aggregate = o.aggregate ?? COMPARE_DEFAULTS.aggregate;
  if (!AGGREGATE_FUNCTIONS.includes(aggregate)) {
    throw invalid("aggregate", `must be one of ${AGGREGATE_FUNCTIONS.join(", ")}`, o.aggregate);
  }
  const alpha = o.alpha ?? COMPARE_DEFAULTS.alpha;
  if (typeof alpha !== "number" || !(alpha > 0 && alpha < 1))
    throw invalid("alpha", "must be a number in (0, 1)", o.alpha);
  const maxDrop = o.maxDrop ?? COMPARE_DEFAULTS.maxDrop;
  if (typeof maxDrop !== "number" || !(maxDrop >= 0) || maxDrop === Infinity) {
    throw invalid("maxDrop", "must be a finite number >= 0", o.maxDrop);
  }
  const seed = o.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw invalid("seed", "must be an integer", o.seed);
  const idLimit = o.idLimit ?? COMPARE_DEFAULTS.idLimit;
  if (!Number.isSafeInteger(idLimit) || idLimit < 0)
    throw invalid("idLimit", "must be an integer >= 0", o.idLimit);
  if (
    o.metrics !== undefined &&
    (!Array.isArray(o.metrics) || o.metrics.some((m) => typeof m !== "string" || !m))
  ) {
    throw invalid("metrics", "must be an array of score names", o.metrics);
  }
  const continuousTest = o.continuousTest ?? "permutation";
  if (continuousTest !== "permutation" && continuousTest !== "sign") {
    throw invalid("continuousTest", 'must be "permutation" or "sign"', o.continuousTest);
  }
  return {
    aggregate,
    metrics: o.metrics && [...new Set(o.metrics.map((m) => m.replace(/^scores\./, "")))],
    maxDrop,
    alpha,
    seed,
    includeIds: o.includeIds === true,
    idLimit,
    continuousTest,
  };
}
