import { invalid } from "../../core/errors.js";
import type { S3BlobStoreOptions } from "../artifacts/s3.js";
import { blobExportTarget } from "./blob-target.js";
import type { ExportTarget } from "./export-target.js";

/**
 * An S3-compatible bucket prefix as an export target: `s3://bucket/prefix`, optionally with
 * `?endpoint=http://host:port` (and `region=`), read as the S3 artifact store reads it
 * (credentials and region from the standard AWS environment variables, `$LABBOOK_S3_ENDPOINT`
 * for an S3-compatible server, addressed by path; `options` as `S3BlobStoreOptions`). Files
 * stream up in parts; the URIs written in a manifest are `s3://bucket/prefix/<key>` (without
 * the query). The AWS SDK is loaded on first use.
 *
 * @example
 * const target = await s3ExportTarget("s3://team-bucket/exports?endpoint=http://127.0.0.1:9000");
 * await exportExperiment(store, { experiment: "sweep", out: target });
 */
export async function s3ExportTarget(
  uri: string,
  options: Partial<S3BlobStoreOptions> = {},
): Promise<ExportTarget> {
  if (!/^s3:\/\/[^/?#]+(\/[^?#]*)?(\?[^#]*)?$/i.test(uri))
    throw invalid("out", "must look like s3://bucket/prefix", uri);
  const { S3BlobStore } = await import("../artifacts/s3.js");
  const blobs = S3BlobStore.fromUri(uri, options);
  const base = `s3://${blobs.bucket}/${blobs.prefix ? `${blobs.prefix}/` : ""}`;
  return blobExportTarget(blobs, uri, (key) => `${base}${key}`);
}
