import { extname } from "node:path";
import { encodeJson } from "../core/codec.js";
import { invalid } from "../core/errors.js";
import type { KnownKeys } from "../core/known-keys.js";
import { checkOptions } from "../core/known-keys.js";
import type { ArtifactSource, PutArtifactOptions } from "./types.js";

export interface LogArtifactOptions {
  /** `json`, `text`, `bytes`, `file`, `log`, or your own word. */
  kind?: string;
  mediaType?: string;
}
const LOG_ARTIFACT_KEYS = { kind: true, mediaType: true } as const satisfies KnownKeys<LogArtifactOptions>;

const MEDIA: Record<string, string> = {
  ".json": "application/json",
  ".jsonl": "application/x-ndjson",
  ".txt": "text/plain",
  ".log": "text/plain",
  ".md": "text/markdown",
  ".csv": "text/csv",
  ".html": "text/html",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".svg": "image/svg+xml",
  ".parquet": "application/vnd.apache.parquet",
  ".pdf": "application/pdf",
};

/** The media type of a file name by its extension (`application/octet-stream` when unknown). */
export function mediaTypeOf(name: string): string {
  return MEDIA[extname(name).toLowerCase()] ?? "application/octet-stream";
}

function isPathRef(v: unknown): v is { path: string } {
  return (
    v !== null &&
    typeof v === "object" &&
    Object.keys(v).length === 1 &&
    typeof (v as { path?: unknown }).path === "string"
  );
}

/**
 * Turns what a user logs into bytes and a descriptor: text (`text/plain`), bytes
 * (`application/octet-stream`), `{ path }` (a local file, streamed) or any other JSON value
 * (`application/json`). Pass `kind: "json"` to store an object that looks like `{ path }` as JSON.
 */
export function artifactPayload(
  value: unknown,
  options: LogArtifactOptions,
): { source: ArtifactSource; options: PutArtifactOptions } {
  checkOptions(options, LOG_ARTIFACT_KEYS, "logArtifact");
  if (value instanceof Uint8Array) {
    return {
      source: value,
      options: { kind: options.kind ?? "bytes", mediaType: options.mediaType ?? "application/octet-stream" },
    };
  }
  if (typeof value === "string") {
    const kind = options.kind ?? "text";
    return {
      source: Buffer.from(value, "utf8"),
      options: { kind, mediaType: options.mediaType ?? "text/plain; charset=utf-8" },
    };
  }
  if (isPathRef(value) && options.kind !== "json") {
    if (value.path.length === 0) throw invalid("path", "must name a local file", value.path);
    return {
      source: { path: value.path },
      options: { kind: options.kind ?? "file", mediaType: options.mediaType ?? mediaTypeOf(value.path) },
    };
  }
  if (value === undefined) throw invalid("value", "must be a JSON value, text, bytes or { path }", value);
  return {
    source: Buffer.from(encodeJson(value, "value"), "utf8"),
    options: { kind: options.kind ?? "json", mediaType: options.mediaType ?? "application/json" },
  };
}
