import { setOwn } from "../../../core/codec.js";
import { invalid } from "../../../core/errors.js";
import { checkKeys, type KnownKeys } from "../../../core/known-keys.js";
import { parseExperimentRef } from "../../../core/validate.js";
import {
  checkBins,
  checkFields,
  checkNames,
  checkPaths,
  checkPercentiles,
} from "../../../scores/check-options.js";
import { GroupIndex, keyRecord } from "../../../scores/group-keys.js";
import {
  type AggregateRunsOptions,
  type AggregateRunsResult,
  RANGE_FIELDS,
  type RangeField,
  type RangeFigures,
} from "../../../scores/types.js";
import { describeValues } from "../../../stats/descriptive.js";
import type { SqlContext } from "../context.js";
import { checkRunGroupPath, readRunFieldTable } from "../runs/run-field-table.js";
import { selectRunPks } from "../search/run-filter.js";

const KNOWN = {
  experiment: true,
  filter: true,
  metrics: true,
  groupBy: true,
  percentiles: true,
  bins: true,
  fields: true,
} as const satisfies KnownKeys<AggregateRunsOptions>;
const RANGE = new Set<string>(RANGE_FIELDS);
const DEFAULT_FIELDS = new Set<RangeField>(RANGE_FIELDS.filter((f) => f !== "histogram"));

/**
 * Aggregates run metrics over runs, grouped by run fields; see
 * {@link ScoresMethods.aggregateRuns}. One SQL query reads each run's group key and metric
 * values (`readRunFieldTable`); the figures are computed with `src/stats`.
 */
export async function aggregateRuns(
  ctx: SqlContext,
  options: AggregateRunsOptions,
): Promise<AggregateRunsResult> {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw invalid("options", "must be an object", options);
  }
  checkKeys(options, KNOWN, "aggregateRuns");
  if (options.metrics === undefined) throw invalid("metrics", "is required: the metric names to aggregate");
  const metrics = [...new Set(checkNames(options.metrics, "metrics", "metrics."))];
  if (metrics.length === 0) throw invalid("metrics", "must name at least one metric", options.metrics);
  const groupBy = checkPaths(options.groupBy);
  groupBy.forEach(checkRunGroupPath);
  const percentiles = checkPercentiles(options.percentiles);
  const bins = checkBins(options.bins);
  const fields = checkFields<RangeField>(options.fields, RANGE) ?? DEFAULT_FIELDS;
  const experiment = options.experiment === undefined ? undefined : parseExperimentRef(options.experiment);
  const keep =
    options.filter === undefined
      ? null
      : new Set(
          await selectRunPks(
            ctx,
            options.filter,
            options.experiment === undefined ? {} : { experiment: options.experiment },
          ),
        );
  const table = await readRunFieldTable(ctx, { experiment, metrics, groupBy });
  const groups = new GroupIndex();
  const members: number[][] = [];
  table.keys.forEach((key, k) => {
    if (keep && !keep.has(table.runPks[k]!)) return;
    const g = groups.add(key);
    const list = members[g] ?? [];
    list.push(k);
    members[g] = list;
  });
  return {
    groupBy,
    groups: groups.sorted().map(([key, g]) => {
      const runs = members[g]!;
      const figures: Record<string, RangeFigures> = {};
      metrics.forEach((name, m) => {
        const values = table.values[m]!;
        const present = table.present[m]!;
        let n = 0;
        for (const k of runs) n += present[k]!;
        const sample = new Float64Array(n);
        let at = 0;
        for (const k of runs) if (present[k]) sample[at++] = values[k]!;
        setOwn(figures, name, describeValues(sample, { percentiles, bins, fields, ddof: 1 }));
      });
      return { key: keyRecord(groupBy, key), runs: runs.length, metrics: figures };
    }),
  };
}
