import type { Progress } from "../../results/progress.js";
import { flattenObject } from "../../results/table.js";
import { SchemaBuilder } from "../../runner/infer-schema.js";
import type { SearchRun } from "../search-methods.js";
import type { Store } from "../types.js";
import { ColumnSpill } from "./column-spill.js";
import type { ExportTarget } from "./export-target.js";
import { artifactKey } from "./layout-paths.js";

/** A run as the rows pass needs it: its place and its top-level params. */
export interface RunEntry {
  runId: string;
  sortIndex: number;
  params: Record<string, unknown>;
}

/** What the runs pass gathered. */
export interface RunsPass {
  /** One row per run; chunk keys `i:` index, `P:` top-level params, `p:` param leaves, `e:seed`, `m:`, `d:`, `f:` run facts, `a:` artifact URIs. */
  spill: ColumnSpill;
  runs: RunEntry[];
  inputs: SchemaBuilder;
  outputs: SchemaBuilder;
  artifacts: number;
}

const FACTS = ["f:run_name", "f:status", "f:started_at", "f:finished_at", "f:duration_ms"] as const;

function time(iso: string | null): Date | null {
  return iso === null ? null : new Date(iso);
}

/**
 * Reads the runs of one experiment version (oldest first: `sort_index` 0, 1, ...) into a spill
 * of flat rows, copying each run's artifacts to `<folder>/results/<name>/<run_id>.<ext>` when
 * asked.
 */
export async function collectRuns(
  store: Store,
  target: ExportTarget,
  options: { experiment: string; exportId: string; folder: string; artifacts: boolean; bar: Progress },
): Promise<RunsPass> {
  const spill = new ColumnSpill();
  for (const k of ["i:experiment_id", "i:sort_index", "i:run_id"]) spill.declare(k);
  const pass: RunsPass = {
    spill,
    runs: [],
    inputs: new SchemaBuilder(),
    outputs: new SchemaBuilder(),
    artifacts: 0,
  };
  let i = 0;
  const query = { experiment: options.experiment, sort: "created_at" } as const;
  for await (const run of store.iterateRuns({ ...query, fields: ["params", "metrics", "derived"] })) {
    const row: Record<string, unknown> = {
      "i:experiment_id": options.exportId,
      "i:sort_index": i,
      "i:run_id": run.runId,
    };
    const params = run.params ?? {};
    const top: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(params)) {
      row[`P:${k}`] = v;
      top[k] = v;
    }
    for (const [k, v] of Object.entries(flattenObject(params))) row[`p:${k}`] = v;
    if (run.seed !== null) row["e:seed"] = run.seed;
    for (const [k, v] of Object.entries(run.metrics ?? {})) {
      spill.declare(`m:${k}`, "double");
      row[`m:${k}`] = v;
    }
    for (const [k, v] of Object.entries(run.derived ?? {})) row[`d:${k}`] = v;
    facts(row, run);
    if (options.artifacts)
      pass.artifacts += await copyArtifacts(store, target, options.folder, run.runId, row);
    await spill.add(row);
    pass.inputs.observe(params);
    pass.outputs.observe({ ...run.metrics, ...run.derived });
    pass.runs.push({ runId: run.runId, sortIndex: i, params: top });
    i++;
    options.bar.tick();
  }
  for (const f of FACTS) spill.declare(f);
  return pass;
}

function facts(row: Record<string, unknown>, run: SearchRun): void {
  row["f:run_name"] = run.name;
  row["f:status"] = run.status;
  row["f:started_at"] = time(run.startedAt);
  row["f:finished_at"] = time(run.finishedAt);
  row["f:duration_ms"] = run.durationMs;
}

async function copyArtifacts(
  store: Store,
  target: ExportTarget,
  folder: string,
  runId: string,
  row: Record<string, unknown>,
): Promise<number> {
  const list = await store.listArtifacts(runId);
  for (const a of list) {
    const key = `${folder}/${artifactKey(a, runId)}`;
    const { stream } = await store.openArtifact(runId, a.name);
    await target.put(key, stream);
    row[`a:${a.name}`] = target.uri(key);
  }
  return list.length;
}
