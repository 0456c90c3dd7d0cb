import type { JsonValue } from "../../../core/codec.js";
import { LabbookError } from "../../../core/errors.js";
import type { MetricDefinition } from "../../../scores/definitions.js";
import { keyRecord } from "../../../scores/group-keys.js";
import {
  type NemoAggregateScore,
  type NemoAggregateScoresResult,
  nemoRangeScore,
  nemoRubricScore,
} from "../../../scores/nemo-compat.js";
import {
  type AggregateScoresOptions,
  type AggregateScoresResult,
  RUBRIC_FIELDS,
  type ScoreAggregate,
} from "../../../scores/types.js";
import { describeValues } from "../../../stats/descriptive.js";
import { categoryDistribution, modeCategory } from "../../../stats/rubric.js";
import type { SqlContext } from "../context.js";
import { selectRows } from "../rows/row-selection.js";
import type { ScoreColumn } from "../rows/score-chunk-codec.js";
import { readScoreColumns, runRowCount, scoreNames } from "../rows/score-columns-read.js";
import {
  type CheckedAggregateScoresOptions,
  checkAggregateScoresOptions,
} from "./aggregate-scores-options.js";
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

/** How one score's figures are made: labbook's own, or the NVIDIA evaluator's shape. */
interface Figurer<T> {
  range(name: string, sample: Float64Array, slots: number): T;
  rubric(name: string, counts: Map<string, number>, slots: number, categories: readonly string[]): T;
}

function ownFigures(o: CheckedAggregateScoresOptions): Figurer<ScoreAggregate> {
  const figures = { percentiles: o.percentiles, bins: o.bins, fields: o.fields };
  const wantNaN = !o.fields || o.fields.has("nanCount");
  return {
    range: (name, sample, slots) => {
      const out: ScoreAggregate = { name, scoreType: "range", ...describeValues(sample, figures) };
      if (wantNaN) out.nanCount = slots - numbersIn(sample);
      return out;
    },
    rubric: (name, counts, slots, categories) => rubricAggregate(name, counts, slots, categories, o.fields),
  };
}

const NEMO_FIGURES: Figurer<NemoAggregateScore> = {
  range: nemoRangeScore,
  rubric: (name, counts, slots, categories) =>
    nemoRubricScore(name, categoryDistribution(counts, categories), slots),
};

/**
 * Aggregates a run's row scores inside the store; see {@link ScoresMethods.aggregateScores}.
 * Reads the columnar copy of the scores (no row is decoded), selects rows only when a filter,
 * a grouping or `byDatapoint` asks for it, and computes each figure with `src/stats`. With
 * `compat: "nemo"` the figures are the NVIDIA evaluator's, in its shape.
 */
export async function aggregateScores(
  ctx: SqlContext,
  runId: string,
  options: AggregateScoresOptions = {},
): Promise<AggregateScoresResult | NemoAggregateScoresResult> {
  const o = checkAggregateScoresOptions(options);
  if (o.compat === "nemo") {
    const r = await aggregateWith(ctx, runId, o, NEMO_FIGURES);
    return {
      runId: r.runId,
      compat: "nemo",
      rows: r.rows,
      scores: r.scores,
      ...(r.groups ? { groups: r.groups } : {}),
    };
  }
  return aggregateWith(ctx, runId, o, ownFigures(o));
}

async function aggregateWith<T>(
  ctx: SqlContext,
  runId: string,
  o: CheckedAggregateScoresOptions,
  fig: Figurer<T>,
): Promise<{
  runId: string;
  rows: number;
  scores: T[];
  groups?: { key: Record<string, JsonValue>; rows: number; scores: T[] }[];
}> {
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
  const rows = sel ? sel.rowPks.length : await runRowCount(ctx, run.id);
  const slots = sel ? opportunities(sel, o.byDatapoint) : Float64Array.of(rows);
  const allSlots = slots.reduce((a, b) => a + b, 0);
  const perGroup: T[][] = Array.from({ length: groups }, () => []);
  const overall: T[] = [];
  for (const name of names) {
    const def = defs.get(name);
    const col = cols.get(name);
    if (scoreKind(def, col) === "rubric") {
      const counts = col ? categoryCounts(col, sel, o.byDatapoint) : [new Map<string, number>()];
      const categories = def?.categories ?? [];
      counts.forEach((c, g) => {
        perGroup[g]?.push(fig.rubric(name, c, slots[g]!, categories));
      });
      overall.push(fig.rubric(name, mergeCounts(counts), allSlots, categories));
    } else {
      const samples = col ? rangeSamples(col, sel, o.byDatapoint) : [new Float64Array(0)];
      samples.forEach((s, g) => {
        perGroup[g]?.push(fig.range(name, s, slots[g]!));
      });
      overall.push(fig.range(name, concat(samples), allSlots));
    }
  }
  if (!selection || o.groupBy.length === 0) return { runId, rows, scores: overall };
  return {
    runId,
    rows,
    scores: overall,
    groups: groupsOf(sel!, selection.keys.length, o.groupBy, selection.keys, perGroup),
  };
}

/** The number of values of a sample that are not NaN. */
function numbersIn(s: Float64Array): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (!Number.isNaN(s[i]!)) n++;
  return n;
}

/**
 * Per group, how many values a score could have: the selected rows, or with `byDatapoint`
 * the selected datapoints. A score's `nanCount` is this less its `count` (NaN, null or missing).
 */
function opportunities(sel: RowSelection, byDatapoint: boolean): Float64Array {
  const out = new Float64Array(sel.groups);
  if (byDatapoint && sel.datapoint) {
    const seen = new Set<number>();
    for (let i = 0; i < sel.rowPks.length; i++) {
      const g = sel.group[i]!;
      const key = sel.datapoint[i]! * sel.groups + g;
      if (seen.has(key)) continue;
      seen.add(key);
      out[g]!++;
    }
    return out;
  }
  for (let i = 0; i < sel.rowPks.length; i++) out[sel.group[i]!]!++;
  return out;
}

const RUBRIC = new Set<string>(RUBRIC_FIELDS);

function rubricAggregate(
  name: string,
  counts: Map<string, number>,
  slots: number,
  categories: readonly string[],
  fields: ReadonlySet<string> | null,
): ScoreAggregate {
  const want = (f: string) => RUBRIC.has(f) && (!fields || fields.has(f));
  const distribution = categoryDistribution(counts, categories);
  const out: ScoreAggregate = { name, scoreType: "rubric" };
  const count = distribution.reduce((n, c) => n + c.count, 0);
  if (want("count")) out.count = count;
  if (want("nanCount")) out.nanCount = slots - count;
  if (want("distribution")) out.distribution = distribution;
  if (want("modeCategory")) out.modeCategory = modeCategory(distribution);
  return out;
}

function groupsOf<T>(
  sel: RowSelection,
  n: number,
  paths: string[],
  keys: JsonValue[][],
  perGroup: T[][],
): { key: Record<string, JsonValue>; rows: number; scores: T[] }[] {
  const rows = new Int32Array(n);
  for (let i = 0; i < sel.group.length; i++) rows[sel.group[i]!]!++;
  return keys.map((key, g) => ({ key: keyRecord(paths, key), rows: rows[g]!, scores: perGroup[g]! }));
}
