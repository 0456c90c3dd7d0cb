import type { JsonValue } from "../../../core/codec.js";
import { LabbookError } from "../../../core/errors.js";
import type { MetricDefinition } from "../../../scores/definitions.js";
import { keyRecord } from "../../../scores/group-keys.js";
import {
  type AggregateScoresOptions,
  type AggregateScoresResult,
  RUBRIC_FIELDS,
  type ScoreAggregate,
  type ScoreGroup,
} from "../../../scores/types.js";
import { describeValues } from "../../../stats/descriptive.js";
import { categoryDistribution, modeCategory } from "../../../stats/rubric.js";
import type { SqlContext } from "../context.js";
import { selectRows } from "../rows/row-selection.js";
import type { ScoreColumn } from "../rows/score-chunk-codec.js";
import { readScoreColumns, runRowCount, scoreNames } from "../rows/score-columns-read.js";
import { checkAggregateScoresOptions } from "./aggregate-scores-options.js";
import { metricDefinitionsOf, runWithExperiment } from "./metric-defs.js";
import { categoryCounts, mergeCounts } from "./score-category-counts.js";
import { type RowSelection, rangeSamples } from "./score-samples.js";

/** A score's kind: its definition's, else `rubric` when it holds a string, else `range`. */
export function scoreKind(
  def: MetricDefinition | undefined,
  col: ScoreColumn | undefined,
): "range" | "rubric" {
  if (def) return def.kind;
  return col && col.dict.length > 0 ? "rubric" : "range";
}

function concat(parts: readonly Float64Array[]): Float64Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Aggregates a run's row scores inside the store; see {@link ScoresMethods.aggregateScores}.
 * Reads the columnar copy of the scores (no row is decoded), selects rows only when a filter,
 * a grouping or `byDatapoint` asks for it, and computes each figure with `src/stats`.
 */
export async function aggregateScores(
  ctx: SqlContext,
  runId: string,
  options: AggregateScoresOptions = {},
): Promise<AggregateScoresResult> {
  const o = checkAggregateScoresOptions(options);
  const run = await runWithExperiment(ctx, runId);
  const defs = new Map(
    (await metricDefinitionsOf(ctx, run.experimentName, run.experimentVersion)).map((d) => [d.name, d]),
  );
  const present = await scoreNames(ctx, run.id);
  const missing = o.scores?.find((s) => !present.includes(s) && !defs.has(s));
  if (missing !== undefined) {
    throw new LabbookError("NOT_FOUND", `scores: run ${runId} has no score ${JSON.stringify(missing)}`, {
      field: "scores",
      details: { runId, score: missing, scores: present },
    });
  }
  const names = o.scores ?? present;
  const selection = await selectRows(ctx, run.id, o);
  const cols = await readScoreColumns(ctx, run.id, {
    names: o.scores ? names : undefined,
    rowPks: selection !== null,
  });
  const sel = selection?.sel ?? null;
  const groups = sel?.groups ?? 1;
  const perGroup: ScoreAggregate[][] = Array.from({ length: groups }, () => []);
  const overall: ScoreAggregate[] = [];
  for (const name of names) {
    const def = defs.get(name);
    const col = cols.get(name);
    if (scoreKind(def, col) === "rubric") {
      const counts = col ? categoryCounts(col, sel, o.byDatapoint) : [new Map<string, number>()];
      const categories = def?.categories ?? [];
      counts.forEach((c, g) => {
        perGroup[g]?.push(rubricAggregate(name, c, categories, o.fields));
      });
      overall.push(rubricAggregate(name, mergeCounts(counts), categories, o.fields));
    } else {
      const samples = col ? rangeSamples(col, sel, o.byDatapoint) : [new Float64Array(0)];
      const figures = { percentiles: o.percentiles, bins: o.bins, fields: o.fields };
      samples.forEach((s, g) => {
        perGroup[g]?.push({ name, scoreType: "range", ...describeValues(s, figures) });
      });
      overall.push({ name, scoreType: "range", ...describeValues(concat(samples), figures) });
    }
  }
  const result: AggregateScoresResult = {
    runId,
    rows: sel ? sel.rowPks.length : await runRowCount(ctx, run.id),
    scores: overall,
  };
  if (selection && o.groupBy.length > 0) {
    result.groups = groupsOf(sel!, selection.keys.length, o.groupBy, selection.keys, perGroup);
  }
  return result;
}

const RUBRIC = new Set<string>(RUBRIC_FIELDS);

function rubricAggregate(
  name: string,
  counts: Map<string, number>,
  categories: readonly string[],
  fields: ReadonlySet<string> | null,
): ScoreAggregate {
  const want = (f: string) => RUBRIC.has(f) && (!fields || fields.has(f));
  const distribution = categoryDistribution(counts, categories);
  const out: ScoreAggregate = { name, scoreType: "rubric" };
  if (want("count")) out.count = distribution.reduce((n, c) => n + c.count, 0);
  if (want("distribution")) out.distribution = distribution;
  if (want("modeCategory")) out.modeCategory = modeCategory(distribution);
  return out;
}

function groupsOf(
  sel: RowSelection,
  n: number,
  paths: string[],
  keys: JsonValue[][],
  perGroup: ScoreAggregate[][],
): ScoreGroup[] {
  const rows = new Int32Array(n);
  for (let i = 0; i < sel.group.length; i++) rows[sel.group[i]!]!++;
  return keys.map((key, g) => ({ key: keyRecord(paths, key), rows: rows[g]!, scores: perGroup[g]! }));
}
