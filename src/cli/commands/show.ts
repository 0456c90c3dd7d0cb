import type { Command } from "commander";
import type { RunRecord } from "../../core/types.js";
import { formatDuration, formatValue } from "../../results/format.js";
import { flattenObject } from "../../results/table.js";
import type { Store } from "../../store/types.js";
import { out, withReadStore } from "../context.js";
import { jsonText } from "../json-out.js";

/** What `labbook show` prints: the record with its series, artifacts and data. */
export async function runDetail(store: Store, runId: string) {
  const record = await store.getRun(runId);
  const [seriesNames, artifacts, data] = await Promise.all([
    store.listSeries(runId),
    store.listArtifacts(runId),
    store.listData(runId),
  ]);
  const series = await Promise.all(
    seriesNames.map(async (name) => ({ name, steps: (await store.getSeries(runId, name)).steps.length })),
  );
  return { ...record, series, artifacts, data };
}

/**
 * `labbook show RUN_ID [--json]`: a run's params, metrics, tags, error, series names,
 * artifacts and data. An unknown id is one line on stderr and exit code 1.
 *
 * @example
 * labbook show 3f2a9c... --json
 */
export function registerShow(program: Command): void {
  program
    .command("show")
    .description("show one run: params, metrics, tags, error, series, artifacts, data")
    .argument("<run_id>", "the run id")
    .option("--json", "print JSON")
    .action((runId: string, opts: { json?: boolean }, cmd: Command) =>
      withReadStore(cmd, async (store) => {
        const detail = await runDetail(store, runId);
        out(opts.json ? jsonText(detail) : showText(detail));
      }),
    );
}

type Detail = Awaited<ReturnType<typeof runDetail>>;

function section(title: string, entries: [string, string][]): string[] {
  if (entries.length === 0) return [`${title}: -`];
  const w = Math.max(...entries.map(([k]) => k.length));
  return [`${title}:`, ...entries.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`)];
}

/** Values at full precision (a run's detail is where the exact number is wanted). */
function values(o: Record<string, unknown>): [string, string][] {
  return Object.entries(o).map(([k, v]) => [k, typeof v === "number" ? String(v) : formatValue(v)]);
}

function head(r: RunRecord): [string, string][] {
  return [
    ["run_id", r.runId],
    ["name", r.name ?? "-"],
    ["experiment", r.experimentId],
    ["status", r.status],
    ["started_at", r.startedAt ?? "-"],
    ["finished_at", r.finishedAt ?? "-"],
    ["duration", formatDuration(r.durationMs)],
    ["seed", formatValue(r.seed)],
    ["params_fingerprint", r.paramsFingerprint],
    ["seed_fingerprint", r.seedFingerprint],
    ["context_fingerprint", r.contextFingerprint],
  ];
}

function showText(d: Detail): string {
  const lines = [
    ...section("run", head(d)),
    ...section("params", values(flattenObject(d.params))),
    ...section("metrics", values(d.metrics)),
    ...section("derived", values(d.derived)),
    ...section(
      "tags",
      Object.entries(d.tags).map(([k, v]) => [k, v]),
    ),
    ...(d.error
      ? section("error", [
          ["type", d.error.type],
          ["message", d.error.message],
        ])
      : ["error: -"]),
    ...section(
      "series",
      d.series.map((s) => [s.name, `${s.steps} steps`]),
    ),
    ...section(
      "artifacts",
      d.artifacts.map((a) => [a.name, `${a.kind}  ${a.mediaType}  ${a.size} B  ${a.digest}`]),
    ),
    ...section(
      "data",
      d.data.map((x) => [x.name, `${x.dtype}  [${x.shape.join(", ")}]`]),
    ),
  ];
  return lines.join("\n");
}
