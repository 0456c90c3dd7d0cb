import { sql } from "kysely";
import type { SqlContext } from "../context.js";
import { statement, type TxSteps } from "../write-tx.js";
import {
  type FieldLeaf,
  metricLeaf,
  type RunColumns,
  runColumnLeaves,
  type SummaryScope,
  storedParamLeaves,
  tagLeaves,
} from "./field-summary.js";

/** A stored run's fields as the catalog sees them, with its experiment version. */
export interface RunLeaves {
  scope: SummaryScope;
  leaves: FieldLeaf[];
}

type RunRow = RunColumns & { id: number; workspace: string; params: string; tags: string };

/** Runs by key, or the runs keyed in `(after, upto]` (a range read as one, without a list of keys). */
export type RunKeys = readonly number[] | { after: number; upto: number };

function keyCondition(ctx: Pick<SqlContext, "dialect">, column: string, keys: RunKeys) {
  return "after" in keys
    ? sql`(${sql.ref(column)} > ${keys.after} and ${sql.ref(column)} <= ${keys.upto})`
    : ctx.dialect.inArray(sql.ref(column), keys, "number");
}

const isEmpty = (keys: RunKeys) => ("after" in keys ? keys.upto <= keys.after : keys.length === 0);

/**
 * The fields of stored runs' rows (by key): the run columns, params (from the run's params JSON)
 * and tags.
 *
 * @example
 * const byKey = yield* runRowLeaves(ctx, [7]); // Map { 7 => { scope, leaves } }
 */
export function* runRowLeaves(
  ctx: Pick<SqlContext, "db" | "dialect">,
  pks: RunKeys,
): TxSteps<Map<number, RunLeaves>> {
  const out = new Map<number, RunLeaves>();
  if (isEmpty(pks)) return out;
  const runs = yield* statement<RunRow>(
    sql`select id, workspace, name, experiment_name, experiment_version, created_at, started_at,
      finished_at, duration_ms, params, tags from runs where ${keyCondition(ctx, "id", pks)}`.compile(ctx.db),
  );
  for (const r of runs) {
    const leaves = runColumnLeaves(r);
    leaves.push(...storedParamLeaves(r.params), ...tagLeaves(JSON.parse(r.tags) as Record<string, string>));
    out.set(Number(r.id), {
      scope: {
        workspace: r.workspace,
        experimentName: r.experiment_name,
        experimentVersion: r.experiment_version,
      },
      leaves,
    });
  }
  return out;
}

/**
 * The fields of stored runs (by key), read in the transaction: the run columns, params (from the
 * run's params JSON), tags, metrics and derived values.
 *
 * @example
 * const byKey = yield* storedRunLeaves(ctx, [7]); // Map { 7 => { scope, leaves } }
 */
export function* storedRunLeaves(
  ctx: Pick<SqlContext, "db" | "dialect">,
  pks: RunKeys,
): TxSteps<Map<number, RunLeaves>> {
  const out = yield* runRowLeaves(ctx, pks);
  if (out.size === 0) return out;
  const inKeys = (c: string) => keyCondition(ctx, c, pks);
  const metrics = yield* statement<{ run_pk: number; name: string; value: number | null; nan: number }>(
    sql`select run_pk, name, value, nan from run_metrics where ${inKeys("run_pk")}`.compile(ctx.db),
  );
  for (const m of metrics) out.get(Number(m.run_pk))?.leaves.push(metricLeaf(m.name, m.value, Number(m.nan)));
  const derived = yield* statement<{
    run_pk: number;
    name: string;
    type: string;
    num: number | null;
    text: string | null;
  }>(sql`select run_pk, name, type, num, text from run_derived where ${inKeys("run_pk")}`.compile(ctx.db));
  for (const d of derived) {
    out.get(Number(d.run_pk))?.leaves.push({
      field: `derived.${d.name}`,
      type: d.type,
      num: d.num === null ? null : Number(d.num),
      text: d.text,
    });
  }
  return out;
}
