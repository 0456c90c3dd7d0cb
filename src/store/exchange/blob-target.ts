import { once } from "node:events";
import { PassThrough } from "node:stream";
import type { ArtifactBlobStore } from "../artifacts/types.js";
import type { ByteSink } from "./byte-sink.js";
import type { ExportTarget } from "./export-target.js";

/** Bytes a blob sink lets its writer run ahead of the upload (past the write being taken). */
const AHEAD = 64 * 1024;

/**
 * A sink streaming into one object of a blob store: the object's upload starts at once and
 * reads what is written as it comes (`put` with a stream), and each write waits until the
 * upload has taken its bytes, so memory holds the write in hand and the upload's own part
 * buffer, never the whole file. The object appears whole once `close` resolves; `abort` fails
 * the upload, and nothing is left under the key (an S3 multipart upload is aborted).
 *
 * @example
 * const sink = blobSink(await openBlobStore("s3://bucket/exports"), "sweep/v1.0.0/x/specs.pq");
 * await sink.write(bytes);
 * await sink.close();
 */
export function blobSink(blobs: ArtifactBlobStore, key: string): ByteSink {
  const body = new PassThrough({ highWaterMark: AHEAD });
  // A failure reaches the writer through the upload's promise.
  body.on("error", () => undefined);
  let failure: unknown = null;
  const upload = blobs.put(key, body).then(
    () => undefined,
    (e: unknown) => {
      failure = e;
      body.destroy();
    },
  );
  const failed = () => {
    if (failure !== null) throw failure;
  };
  return {
    async write(bytes) {
      failed();
      if (bytes.byteLength === 0) return;
      if (!body.write(bytes)) {
        // The upload takes the bytes (drain) or fails (then its error is thrown).
        await Promise.race([once(body, "drain").catch(() => undefined), upload]);
        failed();
      }
    },
    async close() {
      failed();
      body.end();
      await upload;
      failed();
    },
    async abort() {
      body.destroy(new Error(`export of ${key} given up`));
      await upload;
    },
  };
}

/**
 * A blob store (a bucket prefix, a folder) as an export target: keys are the store's keys,
 * `uri(key)` as `uriOf` spells it.
 *
 * @example
 * const target = blobExportTarget(blobs, "s3://bucket/exports", (k) => `s3://bucket/exports/${k}`);
 */
export function blobExportTarget(
  blobs: ArtifactBlobStore,
  root: string,
  uriOf: (key: string) => string,
): ExportTarget {
  return {
    root,
    uri: uriOf,
    sink: async (key) => blobSink(blobs, key),
    async put(key, source) {
      await blobs.put(key, source);
    },
    async list(prefix) {
      const keys: string[] = [];
      for await (const o of blobs.list(prefix)) keys.push(o.key);
      return keys.sort();
    },
    read: (key) => blobs.read(key),
  };
}
