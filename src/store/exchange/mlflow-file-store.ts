import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { invalid } from "../../core/errors.js";
import { mlflowMeta as meta } from "./mlflow-meta.js";
import { localArtifactFolder } from "./mlflow-paths.js";
import {
  type MlflowBadRun,
  type MlflowExperiment,
  type MlflowMetric,
  type MlflowRun,
  type MlflowSource,
  STATUS_BY_NUMBER,
} from "./mlflow-source.js";

// Reads are synchronous: a run is a dozen small files, and a thread-pool round trip per file
// cost more than the read itself (10,000 runs took seconds longer).

/** Files under a folder, as `/`-joined relative paths (MLflow nests keys with `/` as folders). */
function files(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...files(join(dir, e.name), `${prefix}${e.name}/`));
    else out.push(`${prefix}${e.name}`);
  }
  return out;
}

function keyValues(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of files(dir)) out[key] = readFileSync(join(dir, key), "utf8");
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

function metricsOf(dir: string): MlflowMetric[] {
  const out: MlflowMetric[] = [];
  for (const key of files(dir)) {
    const text = readFileSync(join(dir, key), "utf8");
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
  if (v === null || v === undefined || v === "" || v === "null" || v === "~") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
function str(v: unknown): string | null {
  return v === null || v === undefined || v === "" || v === "null" || v === "~" ? null : String(v);
}

/**
 * An MLflow file store (`mlruns/`): `<experiment id>/meta.yaml` and `tags/`, and per run
 * `<run id>/meta.yaml`, `params/`, `metrics/` (one `timestamp value step` line per value),
 * `tags/` and `artifacts/`. The `.trash` folder (deleted experiments) is left out.
 *
 * @example
 * const source = await mlflowFileStore("./mlruns");
 */
export async function mlflowFileStore(
  folder: string,
  options: { artifactRoot?: string } = {},
): Promise<MlflowSource> {
  const root = resolve(folder);
  const base = options.artifactRoot === undefined ? root : resolve(options.artifactRoot);
  if (!existsSync(root)) {
    throw invalid(
      "source",
      "must be an MLflow file store folder (mlruns/) or sqlite:///path/mlflow.db",
      folder,
    );
  }
  const runDirs = async (experimentId: string) =>
    readdirSync(join(root, experimentId), { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== "tags")
      .map((e) => e.name)
      .sort();
  return {
    description: root,
    async experiments() {
      const out: MlflowExperiment[] = [];
      for (const e of readdirSync(root, { withFileTypes: true })) {
        if (!e.isDirectory() || e.name.startsWith(".")) continue;
        const metaPath = join(root, e.name, "meta.yaml");
        if (!existsSync(metaPath)) continue;
        const m = meta(readFileSync(metaPath, "utf8")) ?? {};
        out.push({
          id: e.name,
          name: String(m.name ?? e.name),
          artifactLocation: str(m.artifact_location),
          lifecycleStage: String(m.lifecycle_stage ?? "active"),
          creationTime: num(m.creation_time),
          tags: keyValues(join(root, e.name, "tags")),
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
          const m = meta(readFileSync(join(dir, "meta.yaml"), "utf8"));
          if (!m) throw new Error("meta.yaml is empty or not a mapping");
          const code = str(m.status);
          const status = code !== null && /^\d+$/.test(code) ? STATUS_BY_NUMBER[Number(code)] : code;
          if (!status) throw new Error(`meta.yaml: unknown status ${JSON.stringify(m.status)}`);
          yield {
            runId,
            experimentId: experiment.id,
            name: str(m.run_name),
            status,
            startTime: num(m.start_time),
            endTime: num(m.end_time),
            userId: str(m.user_id),
            sourceType: str(m.source_type),
            sourceName: str(m.source_name),
            sourceVersion: str(m.source_version),
            entryPointName: str(m.entry_point_name),
            artifactUri: str(m.artifact_uri),
            lifecycleStage: String(m.lifecycle_stage ?? "active"),
            params: keyValues(join(dir, "params")),
            tags: keyValues(join(dir, "tags")),
            metrics: metricsOf(join(dir, "metrics")),
          };
        } catch (e) {
          yield { runId, experimentId: experiment.id, error: e instanceof Error ? e.message : String(e) };
        }
      }
    },
    async artifactFolder(run) {
      return (
        (await localArtifactFolder(run.artifactUri, base)) ??
        (await localArtifactFolder(join(root, run.experimentId, run.runId, "artifacts"), root))
      );
    },
    async close() {},
  };
}
