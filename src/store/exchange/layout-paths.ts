import { extname } from "node:path";
import type { ArtifactDescriptor } from "../../core/types.js";

/** `YYYY-MM-DD_HH-MM-SS` (UTC), Scythe's time stamp of an export. */
export function exportStamp(at: Date): string {
  return at.toISOString().slice(0, 19).replace("T", "_").replaceAll(":", "-");
}

/** The folder (key prefix) of one export: `<experiment>/v<version>/<stamp>`. */
export function exportFolder(name: string, version: string, stamp: string): string {
  return `${name}/v${version}/${stamp}`;
}

const EXT: Record<string, string> = {
  "application/json": ".json",
  "application/x-ndjson": ".jsonl",
  "text/plain": ".txt",
  "text/markdown": ".md",
  "text/csv": ".csv",
  "text/html": ".html",
  "image/png": ".png",
  "image/jpeg": ".jpg",
  "image/svg+xml": ".svg",
  "application/pdf": ".pdf",
  "application/vnd.apache.parquet": ".parquet",
};

/** The key of a run's artifact in the layout: `results/<name>/<run_id>.<ext>`. */
export function artifactKey(a: Pick<ArtifactDescriptor, "name" | "mediaType">, runId: string): string {
  const ext = extname(a.name) || EXT[a.mediaType] || ".bin";
  return `results/${a.name}/${runId}${ext}`;
}

/**
 * Final column names for chunk keys (`ns:name`): each takes its display name unless an earlier
 * column took it, then `<label of its namespace>.<display name>` (then `_2`, `_3`...).
 *
 * @example
 * columnNames(["i:run_id", "m:run_id"], (ns, n) => n, { m: "metrics" }); // Map { "i:run_id" => "run_id", "m:run_id" => "metrics.run_id" }
 */
export function columnNames(
  keys: readonly string[],
  display: (ns: string, name: string) => string,
  labels: Readonly<Record<string, string>>,
): Map<string, string> {
  const taken = new Set<string>();
  const out = new Map<string, string>();
  for (const key of keys) {
    const i = key.indexOf(":");
    const ns = key.slice(0, i);
    const name = display(ns, key.slice(i + 1));
    const label = labels[ns] ?? ns;
    let final = taken.has(name) ? `${label}.${name}` : name;
    for (let n = 2; taken.has(final); n++) final = `${label}.${name}_${n}`;
    taken.add(final);
    out.set(key, final);
  }
  return out;
}
