import { LabbookError } from "../../core/errors.js";
import { LocalBlobStore } from "./local.js";
import type { ArtifactBlobStore, BlobEntry } from "./types.js";

/**
 * Opens the artifact store an `artifacts` option names: `s3://bucket/prefix` (an S3-compatible
 * bucket; endpoint, region and credentials from the standard AWS environment variables, plus
 * `$LABBOOK_S3_ENDPOINT` for S3-compatible servers), or `file:PATH` / a folder path.
 *
 * The result is also a small object store for other writers (exports): `put` an object under a
 * key, `list` the keys under a prefix, `open` or `read` one, `deletePrefix`.
 *
 * @example
 * const blobs = await openBlobStore("s3://team-bucket/labbook");
 * await blobs.put("exports/runs.parquet", bytes);
 * for await (const o of blobs.list("exports/")) console.log(o.key, o.size);
 */
export async function openBlobStore(spec: string): Promise<ArtifactBlobStore> {
  if (/^s3:\/\//i.test(spec)) {
    const { S3BlobStore } = await import("./s3.js");
    return S3BlobStore.fromUri(spec);
  }
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(spec);
  const scheme = m?.[1]?.toLowerCase();
  if (scheme && scheme.length > 1 && scheme !== "file") {
    throw new LabbookError(
      "INVALID_ARGUMENT",
      `artifacts: must be s3://bucket/prefix, file:PATH or a folder path; received ${JSON.stringify(spec)}`,
      { field: "artifacts" },
    );
  }
  const path = scheme === "file" ? spec.slice(5).replace(/^\/\/(?=\/)/, "") : spec;
  return new LocalBlobStore(path);
}

/**
 * The artifact store of a store opened without one: every read or write of artifact bytes
 * fails with a message saying how to name one; deleting a run (nothing stored) does nothing.
 *
 * @example
 * new NoBlobStore("postgres://db/lab");
 */
export class NoBlobStore implements ArtifactBlobStore {
  readonly #where: string;
  constructor(where: string) {
    this.#where = where;
  }
  #fail(): never {
    throw new LabbookError(
      "FAILED_PRECONDITION",
      `artifacts: the store ${this.#where} was opened without an artifact store; name one with --artifacts s3://bucket/prefix, $LABBOOK_ARTIFACTS or openStore(uri, { artifacts })`,
      { field: "artifacts" },
    );
  }
  async put(): Promise<{ size: number; digest: string }> {
    this.#fail();
  }
  // biome-ignore lint/correctness/useYield: it fails before yielding anything.
  async *open(): AsyncIterable<Uint8Array> {
    this.#fail();
  }
  async read(): Promise<Uint8Array> {
    this.#fail();
  }
  async deletePrefix(): Promise<void> {}
  async exists(): Promise<boolean> {
    return false;
  }
  async *list(): AsyncIterable<BlobEntry> {}
}
