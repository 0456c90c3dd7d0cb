import type { ArtifactDescriptor } from "../../core/types.js";
import type { Progress } from "../../results/progress.js";
import { SchemaBuilder } from "../../runner/infer-schema.js";
import type { SearchRun } from "../search-methods.js";
import type { Store } from "../types.js";
import { ColumnSpill, type SpillColumn } from "./column-spill.js";
import type { ExportTarget } from "./export-target.js";
import { isoMillis } from "./iso-millis.js";
import { artifactKey } from "./layout-paths.js";
import { SpillColumns } from "./spill-columns.js";

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
  /** The runs read. */
  count: number;
  /** Each run's entry, for the rows pass (empty unless `keepRuns`). */
  runs: RunEntry[];
  inputs: SchemaBuilder;
  outputs: SchemaBuilder;
  artifacts: number;
}

/** Runs whose artifacts are listed in one call. */
const PAGE = 500;

const FACTS = ["f:run_name", "f:status", "f:started_at", "f:finished_at", "f:duration_ms"] as const;

function time(iso: string | null): Date | null {
  return iso === null ? null : new Date(isoMillis(iso));
}

/**
 * Reads the runs of one experiment version (oldest first: `sort_index` 0, 1, ...) into a spill
 * of flat rows, copying each run's artifacts to `<folder>/results/<name>/<run_id>.<ext>` when
 * asked.
 */
export async function collectRuns(
  store: Store,
  target: ExportTarget,
  options: {
    experiment: string;
    exportId: string;
    folder: string;
    artifacts: boolean;
    /** Keep each run's entry (`runs`) for a rows pass. */
    keepRuns: boolean;
    bar: Progress;
  },
): Promise<RunsPass> {
  const spill = new ColumnSpill();
  for (const k of ["i:experiment_id", "i:sort_index", "i:run_id"]) spill.declare(k);
  const pass: RunsPass = {
    spill,
    count: 0,
    runs: [],
    inputs: new SchemaBuilder(),
    outputs: new SchemaBuilder(),
    artifacts: 0,
  };
  const cols = {
    P: new SpillColumns(spill, "P"),
    p: new SpillColumns(spill, "p"),
    m: new SpillColumns(spill, "m", "double"),
    d: new SpillColumns(spill, "d"),
  };
  const [expId, sortIndex, runIdCol] = ["i:experiment_id", "i:sort_index", "i:run_id"].map((k) =>
    spill.column(k),
  ) as [SpillColumn, SpillColumn, SpillColumn];
  const facts = FACTS.map((k) => spill.column(k));
  let i = 0;
  const query = { experiment: options.experiment, sort: "created_at" } as const;
  // Runs are taken a page at a time, so that their artifacts are listed in one call per page.
  const page: SearchRun[] = [];
  const flush = async () => {
    const artifacts = options.artifacts
      ? await store.listArtifactsOfRuns(page.map((r) => r.runId))
      : ({} as Record<string, ArtifactDescriptor[]>);
    for (const run of page) await add(run, artifacts[run.runId] ?? []);
    page.length = 0;
  };
  const add = async (run: SearchRun, artifacts: readonly ArtifactDescriptor[]) => {
    spill.put(expId, options.exportId);
    spill.put(sortIndex, i);
    spill.put(runIdCol, run.runId);
    const params = run.params ?? {};
    for (const k in params) {
      const v = params[k];
      cols.P.put(k, v);
      cols.p.putLeaves("", k, v);
    }
    if (run.seed !== null) spill.set("e:seed", run.seed);
    const metrics = run.metrics ?? {};
    for (const k in metrics) cols.m.put(k, metrics[k]);
    const derived = run.derived ?? {};
    for (const k in derived) cols.d.put(k, derived[k]);
    spill.put(facts[0]!, run.name);
    spill.put(facts[1]!, run.status);
    spill.put(facts[2]!, time(run.startedAt));
    spill.put(facts[3]!, time(run.finishedAt));
    spill.put(facts[4]!, run.durationMs);
    for (const a of artifacts) {
      const key = `${options.folder}/${artifactKey(a, run.runId)}`;
      const { stream } = await store.openArtifact(run.runId, a.name);
      await target.put(key, stream);
      spill.set(`a:${a.name}`, target.uri(key));
      pass.artifacts++;
    }
    await spill.endRow();
    pass.inputs.observe(params);
    pass.outputs.observe(outputsOf(metrics, derived));
    if (options.keepRuns) pass.runs.push({ runId: run.runId, sortIndex: i, params });
    pass.count = ++i;
    options.bar.tick();
  };
  for await (const run of store.iterateRuns({ ...query, fields: ["params", "metrics", "derived"] })) {
    page.push(run);
    if (page.length >= PAGE) await flush();
  }
  await flush();
  for (const f of FACTS) spill.declare(f);
  return pass;
}

/** A run's metrics and derived values as one object (derived values win a name). */
function outputsOf(
  metrics: Record<string, unknown>,
  derived: Record<string, unknown>,
): Record<string, unknown> {
  for (const _ in derived) return { ...metrics, ...derived };
  return metrics;
}
