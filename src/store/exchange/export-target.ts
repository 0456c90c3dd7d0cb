import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { invalid, LabbookError } from "../../core/errors.js";
import { type ByteSink, fileSink } from "./byte-sink.js";

/**
 * Where an export is written and listed: a local folder, or an S3-compatible bucket prefix.
 * Keys are `/`-separated paths under the target's root.
 */
export interface ExportTarget {
  /** The root as given (`./exports`, `s3://bucket/prefix`). */
  readonly root: string;
  /** The URI of a key (`file:///abs/path`, `s3://bucket/prefix/key`). */
  uri(key: string): string;
  /** A sink writing the object at `key` (whole once closed). */
  sink(key: string): Promise<ByteSink>;
  /** Writes bytes (or a stream of them) at `key`. */
  put(key: string, source: Uint8Array | AsyncIterable<Uint8Array>): Promise<void>;
  /** Every key under a prefix (`a/b/` lists `a/b/...`), sorted. */
  list(prefix: string): Promise<string[]>;
  read(key: string): Promise<Uint8Array>;
}

/** A local folder as an export target. */
export function localTarget(dir: string): ExportTarget {
  const root = resolve(dir);
  const path = (key: string) => {
    const p = resolve(root, key);
    if (p !== root && !p.startsWith(root + sep))
      throw invalid("key", "must stay inside the export folder", key);
    return p;
  };
  return {
    root: dir,
    uri: (key) => pathToFileURL(path(key)).href,
    sink: (key) => fileSink(path(key)),
    async put(key, source) {
      const sink = await fileSink(path(key));
      try {
        if (source instanceof Uint8Array) await sink.write(source);
        else for await (const chunk of source) await sink.write(chunk);
        await sink.close();
      } catch (e) {
        await sink.abort();
        throw e;
      }
    },
    async list(prefix) {
      const start = path(prefix);
      const out: string[] = [];
      const walk = async (d: string): Promise<void> => {
        const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
        for (const e of entries) {
          const full = join(d, e.name);
          if (e.isDirectory()) await walk(full);
          else if (!e.name.includes(".partial-")) out.push(relative(root, full).split(sep).join("/"));
        }
      };
      if ((await stat(start).catch(() => null))?.isDirectory()) await walk(start);
      return out.sort();
    },
    read: (key) => readFile(path(key)),
  };
}

/**
 * Targets of other schemes: `s3` built in (its module, and the AWS SDK, loaded on first use);
 * more registered by the modules that provide them.
 */
const SCHEMES = new Map<string, (uri: string) => Promise<ExportTarget>>([
  ["s3", async (uri) => (await import("./s3-target.js")).s3ExportTarget(uri)],
]);

/**
 * Registers how to open export targets of a URI scheme (`s3` is built in; registering it again
 * replaces it).
 *
 * @example
 * registerExportScheme("mem", async (uri) => localTarget(`/tmp/${uri.slice(6)}`));
 */
export function registerExportScheme(scheme: string, open: (uri: string) => Promise<ExportTarget>): void {
  SCHEMES.set(scheme.toLowerCase(), open);
}

/**
 * The export target a CLI `--out` names: `s3://bucket/prefix` (an S3-compatible bucket, see
 * `s3ExportTarget`), a `file://` URI, or a local folder.
 *
 * @example
 * const target = await openExportTarget("./exports");
 */
export async function openExportTarget(out: string): Promise<ExportTarget> {
  const m = /^([a-z][a-z0-9+.-]+):\/\//i.exec(out);
  if (!m) return localTarget(out);
  const scheme = m[1]!.toLowerCase();
  if (scheme === "file") return localTarget(fileURLToPath(out));
  const open = SCHEMES.get(scheme);
  if (!open) {
    throw new LabbookError(
      "INVALID_ARGUMENT",
      `out: no export target for ${scheme}:// URIs; use a folder path`,
      {
        field: "out",
      },
    );
  }
  return open(out);
}
