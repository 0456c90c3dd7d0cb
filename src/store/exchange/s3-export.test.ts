import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { S3BlobStore } from "../artifacts/s3.js";
import { useTestS3 } from "../artifacts/test-support/s3-server.js";
import { expectError } from "../contract/helpers.js";
import { useTempStores } from "../sql/dialects/sqlite/test-support/temp-store.js";
import { blobExportTarget, blobSink } from "./blob-target.js";
import { exportExperiment } from "./export-experiment.js";
import { type ExportTarget, localTarget } from "./export-target.js";
import { latestExportResults, latestExportVersion, listExportVersions } from "./exports-listing.js";
import { mixedStore } from "./test-support/mixed-store.js";
import { readParquet } from "./test-support/read-parquet.js";

const s3 = useTestS3();
const fresh = useTempStores("s3-export");
const digestOf = (s: string) => createHash("sha256").update(s).digest("hex");
const AT = new Date(Date.UTC(2025, 6, 23, 12, 59, 51));

/** Every object under a prefix of the test bucket, downloaded into `dir` (keys relative to the prefix). */
async function download(prefix: string, dir: string): Promise<string[]> {
  const blobs = S3BlobStore.fromUri(s3.uri(prefix));
  const keys: string[] = [];
  for await (const o of blobs.list("")) {
    keys.push(o.key);
    mkdirSync(dirname(join(dir, o.key)), { recursive: true });
    writeFileSync(join(dir, o.key), await blobs.read(o.key));
  }
  return keys.sort();
}

/** A URI of the export made relative to its root: `file:///.../out/` or `s3://labbook/p/` taken off. */
const rel = (uri: unknown, root: string) =>
  typeof uri === "string" && uri.startsWith(root) ? `<root>/${uri.slice(root.length)}` : uri;

describe("Scythe's layout in an S3-compatible bucket (s3rver on loopback)", () => {
  it("writes the same files as a local export: Parquet byte for byte, file references as s3:// URIs", async () => {
    const { store, dir } = await fresh();
    await mixedStore(store);
    const localDir = join(dir, "local");
    const local = await exportExperiment(store, { experiment: "mix", out: localDir, at: AT });
    const remote = await exportExperiment(store, { experiment: "mix", out: s3.uri("team/exports"), at: AT });
    expect(remote.experimentId).toBe(local.experimentId);
    expect(remote.keys).toEqual(local.keys);
    expect([remote.runs, remote.rows, remote.artifacts]).toEqual([3, 2, 2]);
    expect(remote.uri).toBe(`s3://labbook/team/exports/${local.folder}`);

    const got = join(dir, "downloaded");
    const keys = await download("team/exports", got);
    expect(keys).toEqual(await localTarget(localDir).list(""));
    expect(keys).toEqual(
      expect.arrayContaining([
        local.keys.manifest,
        local.keys.io_spec,
        local.keys.specs,
        local.keys.scalars,
        local.keys.result_file_refs,
        local.keys.rows,
        `${local.folder}/results/notes.txt/${(await store.listRuns({ experiment: "mix" })).at(-1)!.runId}.txt`,
      ]),
    );
    const localRoot = `${localTarget(localDir).uri("x").slice(0, -1)}`;
    const s3Root = "s3://labbook/team/exports/";
    for (const key of keys) {
      const a = readFileSync(join(localDir, key));
      const b = readFileSync(join(got, key));
      if (key === local.keys.manifest) {
        const [m1, m2] = [parse(a.toString()), parse(b.toString())];
        for (const k of ["specs_uri", "io_spec", "scalars_uri", "result_file_refs_uri", "rows_uri"]) {
          expect(m2[k]).toBe(`${s3Root}${fileURLToPath(m1[k]).slice(localDir.length + 1)}`);
        }
        const strip = (m: Record<string, unknown>) =>
          Object.fromEntries(Object.entries(m).filter(([k]) => !/_uri$|^io_spec$|^exported_at$/.test(k)));
        expect(strip(m2)).toEqual(strip(m1));
      } else if (key === local.keys.result_file_refs) {
        // Each artifact column holds the URI of its copy: the same key under each root.
        const [r1, r2] = [await readParquet(join(localDir, key)), await readParquet(join(got, key))];
        expect(r2.names).toEqual(r1.names);
        expect(r2.types).toEqual(r1.types);
        expect(r2.kv).toEqual(r1.kv);
        const norm = (rows: Record<string, unknown>[], root: string) =>
          rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, rel(v, root)])));
        expect(norm(r2.rows, s3Root)).toEqual(norm(r1.rows, localRoot));
        expect(r2.rows[0]!.config).toMatch(
          /^s3:\/\/labbook\/team\/exports\/mix\/v1\.0\.0\/.*\/results\/config\//,
        );
      } else {
        expect([key, b.equals(a)]).toEqual([key, true]);
      }
    }
    // Read back by an independent reader from the downloaded copy.
    const scalars = await readParquet(join(got, local.keys.scalars!));
    expect(scalars.rows.map((r) => r.run_id)).toEqual(
      (await store.listRuns({ experiment: "mix" })).reverse().map((r) => r.runId),
    );
    expect(JSON.parse(scalars.kv.pandas!).index_columns).toEqual([
      "experiment_id",
      "sort_index",
      "run_id",
      "lr",
      "label",
      "epochs",
    ]);
    const rows = await readParquet(join(got, local.keys.rows!));
    expect(rows.rows[0]!["scores.f1"]).toBeNaN();
    expect(rows.rows[1]!["scores.f1"]).toBe(Number.NEGATIVE_INFINITY);
    // A second export in the same second gets its own folder in the bucket too.
    const again = await exportExperiment(store, { experiment: "mix", out: s3.uri("team/exports"), at: AT });
    expect(again.folder).toBe(`${local.folder}_2`);
  });

  it("lists versions, the latest version and the keys of the latest export from the bucket", async () => {
    const { store } = await fresh();
    for (const version of ["1.10.0", "1.2.0"]) {
      const run = await store.startRun({ experiment: `sweep:${version}`, params: { lr: 0.1 } });
      await run.logRows([{ datapointId: "d1", scores: { ok: 1 } }]);
      await run.finish();
    }
    const out = s3.uri("listing");
    const at = (s: number) => new Date(Date.UTC(2026, 0, 2, 3, 4, s));
    await exportExperiment(store, { experiment: "sweep:1.2.0", out, at: at(1) });
    await exportExperiment(store, { experiment: "sweep:1.10.0", out, at: at(2) });
    const last = await exportExperiment(store, { experiment: "sweep:1.10.0", out, at: at(3) });
    const old = await exportExperiment(store, { experiment: "sweep:1.2.0", out, at: at(4) });
    // An export cut short (no manifest) is not listed.
    await S3BlobStore.fromUri(out).put("sweep/v1.10.0/2026-01-02_03-04-09/specs.pq", Buffer.from("PAR1"));
    expect(await listExportVersions(out, "sweep")).toEqual([
      { version: "1.2.0", stamps: ["2026-01-02_03-04-01", "2026-01-02_03-04-04"] },
      { version: "1.10.0", stamps: ["2026-01-02_03-04-02", "2026-01-02_03-04-03"] },
    ]);
    expect(await latestExportVersion(out, "sweep")).toBe("1.10.0");
    const latest = await latestExportResults(out, "sweep");
    expect(latest).toEqual({
      experimentId: last.experimentId,
      version: "1.10.0",
      stamp: "2026-01-02_03-04-03",
      keys: last.keys,
      uris: Object.fromEntries(
        Object.entries(last.keys).map(([k, key]) => [k, `s3://labbook/listing/${key}`]),
      ),
    });
    const forOld = await latestExportResults(out, "sweep", { version: "1.2.0" });
    expect([forOld.experimentId, forOld.keys]).toEqual([old.experimentId, old.keys]);
    const manifest = parse(
      Buffer.from(await S3BlobStore.fromUri(out).read(latest.keys.manifest!)).toString(),
    );
    expect(manifest.scalars_uri).toBe(latest.uris.scalars);
    await expectError(latestExportVersion(out, "other"), "NOT_FOUND");
    await expectError(latestExportResults(out, "sweep", { version: "9.9.9" }), "NOT_FOUND");
    await expectError(listExportVersions("s3://", "sweep"), "INVALID_ARGUMENT");
  });

  it("streams a rows.pq larger than an upload part in parts while it is written, equal byte for byte to the local file", async () => {
    const { store, dir } = await fresh();
    const run = await store.startRun({ experiment: "wide:1.0.0", params: { lr: 0.5 } });
    for (let b = 0; b < 10; b++) {
      await run.logRows(
        Array.from({ length: 10_000 }, (_, j) => {
          const k = b * 10_000 + j;
          // Digests: text Snappy cannot shrink, so the file is several upload parts.
          const output = [0, 1, 2].map((n) => digestOf(`${k}:${n}`)).join("");
          return { datapointId: `d${k}`, output, scores: { s: k % 17 === 0 ? Number.NaN : k / 7 } };
        }),
      );
    }
    await run.finish();
    const local = await exportExperiment(store, { experiment: "wide", out: join(dir, "l"), at: AT });
    // The bucket's client notes each part it sends, and whether rows.pq was still being written then.
    const blobs = S3BlobStore.fromUri(s3.uri("wide"));
    const plain = blobExportTarget(blobs, "s3://labbook/wide", (k) => `s3://labbook/wide/${k}`);
    let rowsOpen = false;
    const parts: { key: string; whileOpen: boolean }[] = [];
    blobs.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "UploadPartCommand") {
          const key = String((args.input as { Key?: string }).Key);
          parts.push({ key, whileOpen: rowsOpen && key.endsWith("final/rows.pq") });
        }
        return next(args);
      },
      { step: "initialize" },
    );
    const target: ExportTarget = {
      ...plain,
      async sink(key) {
        const sink = await plain.sink(key);
        if (!key.endsWith("final/rows.pq")) return sink;
        rowsOpen = true;
        return {
          write: (bytes) => sink.write(bytes),
          abort: () => sink.abort(),
          async close() {
            rowsOpen = false;
            await sink.close();
          },
        };
      },
    };
    const remote = await exportExperiment(store, { experiment: "wide", out: target, at: AT });
    expect(remote.rows).toBe(100_000);
    const bytes = Buffer.from(await blobs.read(remote.keys.rows!));
    const want = readFileSync(join(dir, "l", local.keys.rows!));
    expect(want.byteLength).toBeGreaterThan(15 * 1024 * 1024);
    expect(bytes.equals(want)).toBe(true);
    // Sent in parts of 5 MiB, the first while the file was still being written (the streams
    // between the writer and the upload hold a few MB at most).
    const rowsParts = parts.filter((p) => p.key === `wide/${remote.keys.rows}`);
    expect(rowsParts.length).toBe(Math.ceil(want.byteLength / (5 * 1024 * 1024)));
    expect(rowsParts[0]!.whileOpen).toBe(true);
    writeFileSync(join(dir, "rows.pq"), bytes);
    const read = await readParquet(join(dir, "rows.pq"));
    expect(read.rows.length).toBe(100_000);
    expect(read.rows[99_999]!.output).toBe([0, 1, 2].map((n) => digestOf(`99999:${n}`)).join(""));
  }, 180_000);

  it("a file given up mid-upload leaves no object; a bucket that does not exist fails the export", async () => {
    const blobs = S3BlobStore.fromUri(s3.uri("abort"));
    const sink = blobSink(blobs, "e/v1.0.0/s/final/rows.pq");
    // Past one part: the multipart upload has begun.
    for (let i = 0; i < 7; i++) await sink.write(Buffer.alloc(1024 * 1024, i));
    await sink.abort();
    expect(await blobs.exists("e/v1.0.0/s/final/rows.pq")).toBe(false);
    const keys: string[] = [];
    for await (const o of blobs.list("")) keys.push(o.key);
    expect(keys).toEqual([]);
    const { store } = await fresh();
    await mixedStore(store);
    const missing = `s3://no-such-bucket/x?endpoint=${encodeURIComponent(s3.endpoint)}`;
    await expectError(exportExperiment(store, { experiment: "mix", out: missing }), "UNAVAILABLE");
    await expectError(listExportVersions(missing, "mix"), "UNAVAILABLE");
  });
});
