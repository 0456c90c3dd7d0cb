import { readdir, readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { localArtifactFolder } from "./mlflow-paths.js";
import {
  type MlflowBadRun,
  type MlflowExperiment,
  type MlflowMetric,
  type MlflowRun,
  type MlflowSource,
  STATUS_BY_NUMBER,
} from "./mlflow-source.js";

/** Files under a folder, as `/`-joined relative paths (MLflow nests keys with `/` as folders). */
async function files(dir: string, prefix = ""): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    if (e.isDirectory()) out.push(...(await files(join(dir, e.name), `${prefix}${e.name}/`)));
    else out.push(`${prefix}${e.name}`);
  }
  return out;
}

async function keyValues(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of await files(dir)) out[key] = await readFile(join(dir, key), "utf8");
  return out;
}

/** A metric value as MLflow's file store writes it (`nan`, `inf`, `-inf` by name). */
export function metricNumber(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === "nan") return Number.NaN;
  if (t === "inf" || t === "infinity" || t === "+inf") return Number.POSITIVE_INFINITY;
  if (t === "-inf" || t === "-infinity") return Number.NEGATIVE_INFINITY;
  const n = Number(t);
  if (t === "" || Number.isNaN(n)) throw new Error(`metric value ${JSON.stringify(text)} is not a number`);
  return n;
}

async function metricsOf(dir: string): Promise<MlflowMetric[]> {
  const out: MlflowMetric[] = [];
  for (const key of await files(dir)) {
    const text = await readFile(join(dir, key), "utf8");
    text.split("\n").forEach((line, i) => {
      if (line.trim() === "") return;
      const [ts, value, step] = line.trim().split(/\s+/);
      const timestamp = Number(ts);
      const s = step === undefined ? 0 : Number(step);
      if (!Number.isSafeInteger(timestamp) || !Number.isSafeInteger(s) || value === undefined) {
        throw new Error(
          `metrics/${key} line ${i + 1}: expected "timestamp value step", got ${JSON.stringify(line)}`,
        );
      }
      out.push({ key, value: metricNumber(value), timestamp, step: s });
    });
  }
  return out;
}

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}
function str(v: unknown): string | null {
  return v === null || v === undefined || v === "" ? null : String(v);
}

/**
 * An MLflow file store (`mlruns/`): `<experiment id>/meta.yaml` and `tags/`, and per run
 * `<run id>/meta.yaml`, `params/`, `metrics/` (one `timestamp value step` line per value),
 * `tags/` and `artifacts/`. The `.trash` folder (deleted experiments) is left out.
 *
 * @example
 * const source = await mlflowFileStore("./mlruns");
 */
export async function mlflowFileStore(folder: string): Promise<MlflowSource> {
  const root = resolve(folder);
  const runDirs = async (experimentId: string) =>
    (await readdir(join(root, experimentId), { withFileTypes: true }))
      .filter((e) => e.isDirectory() && e.name !== "tags")
      .map((e) => e.name)
      .sort();
  return {
    description: root,
    async experiments() {
      const out: MlflowExperiment[] = [];
      for (const e of await readdir(root, { withFileTypes: true })) {
        if (!e.isDirectory() || e.name.startsWith(".")) continue;
        const metaPath = join(root, e.name, "meta.yaml");
        if (!(await stat(metaPath).catch(() => null))) continue;
        const meta = parse(await readFile(metaPath, "utf8")) as Record<string, unknown>;
        out.push({
          id: String(meta.experiment_id ?? e.name),
          name: String(meta.name ?? e.name),
          artifactLocation: str(meta.artifact_location),
          lifecycleStage: String(meta.lifecycle_stage ?? "active"),
          creationTime: num(meta.creation_time),
          tags: await keyValues(join(root, e.name, "tags")),
        });
      }
      return out.sort((a, b) => a.id.localeCompare(b.id));
    },
    async countRuns(experimentId) {
      return (await runDirs(experimentId)).length;
    },
    async *runs(experiment): AsyncGenerator<MlflowRun | MlflowBadRun> {
      for (const runId of await runDirs(experiment.id)) {
        const dir = join(root, experiment.id, runId);
        try {
          const meta = parse(await readFile(join(dir, "meta.yaml"), "utf8")) as Record<
            string,
            unknown
          > | null;
          if (!meta || typeof meta !== "object") throw new Error("meta.yaml is empty or not a mapping");
          const status = typeof meta.status === "number" ? STATUS_BY_NUMBER[meta.status] : str(meta.status);
          if (!status) throw new Error(`meta.yaml: unknown status ${JSON.stringify(meta.status)}`);
          yield {
            runId: String(meta.run_id ?? meta.run_uuid ?? runId),
            experimentId: experiment.id,
            name: str(meta.run_name),
            status,
            startTime: num(meta.start_time),
            endTime: num(meta.end_time),
            userId: str(meta.user_id),
            sourceType: str(meta.source_type),
            sourceName: str(meta.source_name),
            sourceVersion: str(meta.source_version),
            entryPointName: str(meta.entry_point_name),
            artifactUri: str(meta.artifact_uri),
            lifecycleStage: String(meta.lifecycle_stage ?? "active"),
            params: await keyValues(join(dir, "params")),
            tags: await keyValues(join(dir, "tags")),
            metrics: await metricsOf(join(dir, "metrics")),
          };
        } catch (e) {
          yield { runId, experimentId: experiment.id, error: e instanceof Error ? e.message : String(e) };
        }
      }
    },
    async artifactFolder(run) {
      return (
        (await localArtifactFolder(run.artifactUri, root)) ??
        (await localArtifactFolder(join(root, run.experimentId, run.runId, "artifacts"), root))
      );
    },
    async close() {},
  };
}
