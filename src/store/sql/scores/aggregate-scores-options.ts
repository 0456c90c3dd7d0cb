import { invalid } from "../../../core/errors.js";
import { checkKeys, type KnownKeys } from "../../../core/known-keys.js";
import {
  checkBins,
  checkFields,
  checkNames,
  checkPaths,
  checkPercentiles,
} from "../../../scores/check-options.js";
import type { AggregateScoresOptions, QueryInput, ScoreField } from "../../../scores/types.js";
import { checkRowGroupPath } from "../rows/row-selection.js";

const KNOWN = {
  scores: true,
  percentiles: true,
  bins: true,
  filter: true,
  groupBy: true,
  fields: true,
  byDatapoint: true,
  compat: true,
} as const satisfies KnownKeys<AggregateScoresOptions>;
/** Options whose figures the NVIDIA evaluator's fixed set decides. */
const NOT_WITH_COMPAT = ["percentiles", "bins", "fields"] as const;

/** Checked options of `aggregateScores`, defaults filled. */
export interface CheckedAggregateScoresOptions {
  scores: string[] | null;
  percentiles: number[];
  bins: number;
  filter?: QueryInput;
  groupBy: string[];
  fields: Set<ScoreField> | null;
  byDatapoint: boolean;
  /** `nemo`: the NVIDIA evaluator's figures and field names. */
  compat?: "nemo";
}

/** Validates `aggregateScores` options; errors name the option, the rule and the value. */
export function checkAggregateScoresOptions(options: AggregateScoresOptions): CheckedAggregateScoresOptions {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw invalid("options", "must be an object", options);
  }
  checkKeys(options, KNOWN, "aggregateScores");
  const byDatapoint = options.byDatapoint ?? false;
  if (typeof byDatapoint !== "boolean") throw invalid("byDatapoint", "must be true or false", byDatapoint);
  const filter = options.filter;
  if (filter !== undefined && typeof filter !== "string" && (typeof filter !== "object" || filter === null)) {
    throw invalid("filter", "must be a query string or a JSON query object", filter);
  }
  const compat = options.compat;
  if (compat !== undefined && compat !== "nemo") throw invalid("compat", 'must be "nemo" when given', compat);
  if (compat) {
    const fixed = NOT_WITH_COMPAT.find((k) => options[k] !== undefined);
    if (fixed) {
      throw invalid(
        fixed,
        'is not taken with compat "nemo" (its figures are fixed: p10..p100 by rank, 10 histogram bins, every field)',
        options[fixed],
      );
    }
  }
  const groupBy = checkPaths(options.groupBy);
  groupBy.forEach(checkRowGroupPath);
  return {
    scores: options.scores === undefined ? null : [...new Set(checkNames(options.scores, "scores"))],
    percentiles: checkPercentiles(options.percentiles),
    bins: checkBins(options.bins),
    ...(filter === undefined ? {} : { filter }),
    groupBy,
    fields: checkFields<ScoreField>(options.fields),
    byDatapoint,
    ...(compat ? { compat } : {}),
  };
}
