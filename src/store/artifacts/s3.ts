import { createHash } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { invalid, LabbookError } from "../../core/errors.js";
import type { ArtifactBlobStore, BlobEntry } from "./types.js";

export interface S3BlobStoreOptions {
  bucket: string;
  /** Key prefix of every object (no leading or trailing `/`); `""` for the bucket's root. */
  prefix?: string;
  /**
   * An S3-compatible server (`http://127.0.0.1:9000`): requests then address the bucket by
   * path (`/bucket/key`). Default: `$LABBOOK_S3_ENDPOINT`, else AWS (or `$AWS_ENDPOINT_URL`).
   */
  endpoint?: string;
  /** Default: `$AWS_REGION`, else `us-east-1`. */
  region?: string;
  /**
   * Bytes per part of a multipart upload (default 5 MiB, S3's smallest: objects up to ~48 GiB in
   * 10,000 parts); one part is held at a time.
   */
  partSize?: number;
  /** More client settings (credentials, retries, ...); credentials default to the AWS chain. */
  client?: S3ClientConfig;
}

const MiB = 1024 * 1024;

/**
 * Artifacts in an S3-compatible bucket, under `prefix/<run folder>/<name>`. Uploads stream in
 * parts (multipart above one part) and an object appears only whole; downloads stream; the
 * size and SHA-256 digest of each upload are computed on the way. Also the object store of
 * exports: `put`, `list` and `open` work on any key under the prefix.
 *
 * @example
 * const blobs = S3BlobStore.fromUri("s3://team-bucket/labbook?endpoint=http://127.0.0.1:9000");
 * await blobs.put("exports/runs.parquet", bytes);
 * for await (const o of blobs.list("exports/")) console.log(o.key, o.size);
 */
export class S3BlobStore implements ArtifactBlobStore {
  readonly client: S3Client;
  readonly bucket: string;
  readonly prefix: string;
  readonly #partSize: number;

  constructor(options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = (options.prefix ?? "").replace(/^\/+|\/+$/g, "");
    this.#partSize = options.partSize ?? 5 * MiB;
    const endpoint = options.endpoint ?? process.env.LABBOOK_S3_ENDPOINT;
    // labbook runs on Node 20 with the SDK version it locks; its notice about later versions
    // would otherwise land on every command's stderr.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    this.client = new S3Client({
      region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
      // The SHA-256 is labbook's own; S3-compatible servers often lack the newer checksums.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      ...options.client,
    });
  }

  /**
   * Reads `s3://bucket/prefix`, with optional query parameters `endpoint` and `region`.
   *
   * @example
   * S3BlobStore.fromUri("s3://lab/artifacts?endpoint=http://127.0.0.1:4569");
   */
  static fromUri(uri: string, options: Partial<S3BlobStoreOptions> = {}): S3BlobStore {
    const m = /^s3:\/\/([^/?#]+)\/?([^?#]*)(?:\?([^#]*))?$/i.exec(uri);
    if (!m) throw invalid("artifacts", "must look like s3://bucket/prefix", uri);
    const query = new URLSearchParams(m[3] ?? "");
    return new S3BlobStore({
      bucket: m[1]!,
      prefix: decodeURIComponent(m[2] ?? ""),
      ...(query.get("endpoint") ? { endpoint: query.get("endpoint")! } : {}),
      ...(query.get("region") ? { region: query.get("region")! } : {}),
      ...options,
    });
  }

  /** The object key of a store key. */
  #key(key: string): string {
    if (key.split("/").some((p) => p === ".." || p === ".")) {
      throw new LabbookError("INVALID_ARGUMENT", `artifact key ${JSON.stringify(key)} leaves its folder`, {
        field: "name",
      });
    }
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  async put(key: string, source: Uint8Array | AsyncIterable<Uint8Array>) {
    const hash = createHash("sha256");
    let size = 0;
    const body = new PassThrough({ highWaterMark: MiB });
    const src = source instanceof Uint8Array ? [source] : source;
    async function* tap() {
      for await (const chunk of src) {
        const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
        hash.update(bytes);
        size += bytes.byteLength;
        yield bytes;
      }
    }
    // Counted in bytes: an object-mode stream would read 16 chunks ahead, whatever their size
    // (16 row groups of an export), before the upload takes a part.
    const feed = Readable.from(tap(), { objectMode: false, highWaterMark: MiB });
    feed.on("error", (e) => body.destroy(e));
    feed.pipe(body);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.#key(key), Body: body },
      partSize: this.#partSize,
      queueSize: 1,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (e) {
      throw unavailable(`upload of ${key}`, e);
    }
    return { size, digest: `sha256:${hash.digest("hex")}` };
  }

  async *open(key: string): AsyncIterable<Uint8Array> {
    let res: GetObjectCommandOutput;
    try {
      res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.#key(key) }));
    } catch (e) {
      if (isNotFound(e)) {
        throw new LabbookError(
          "NOT_FOUND",
          `artifact bytes ${JSON.stringify(key)} are missing from the bucket`,
          {
            field: "name",
          },
        );
      }
      throw unavailable(`download of ${key}`, e);
    }
    for await (const chunk of res.Body as AsyncIterable<Uint8Array>) yield chunk;
  }

  async read(key: string): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    for await (const c of this.open(key)) parts.push(c);
    return Buffer.concat(parts);
  }

  /**
   * Every object under a key prefix (store keys, without the bucket prefix), in key order.
   *
   * @example
   * for await (const o of blobs.list("run1-3/")) console.log(o.key); // "run1-3/model.bin"
   */
  async *list(prefix: string): AsyncIterable<BlobEntry> {
    const base = this.prefix ? `${this.prefix}/` : "";
    let token: string | undefined;
    do {
      const page = await this.client
        .send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: base + prefix,
            ContinuationToken: token,
          }),
        )
        .catch((e) => {
          throw unavailable(`listing of ${prefix}`, e);
        });
      for (const o of page.Contents ?? []) {
        if (o.Key) yield { key: o.Key.slice(base.length), size: Number(o.Size ?? 0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async deletePrefix(prefix: string): Promise<void> {
    const keys: string[] = [];
    const flush = async () => {
      if (keys.length === 0) return;
      const Objects = keys.splice(0).map((k) => ({ Key: this.#key(k) }));
      await this.client
        .send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects, Quiet: true } }))
        .catch((e) => {
          throw unavailable(`deletion under ${prefix}`, e);
        });
    };
    for await (const o of this.list(`${prefix.replace(/\/+$/, "")}/`)) {
      keys.push(o.key);
      if (keys.length === 1000) await flush();
    }
    await flush();
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.#key(key) }));
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw unavailable(`lookup of ${key}`, e);
    }
  }
}

function isNotFound(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return err?.name === "NoSuchKey" || err?.name === "NotFound" || err?.$metadata?.httpStatusCode === 404;
}

function unavailable(what: string, e: unknown): LabbookError {
  if (e instanceof LabbookError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new LabbookError("UNAVAILABLE", `artifacts: ${what} failed: ${message}`, { field: "artifacts" });
}
