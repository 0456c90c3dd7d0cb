import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { decodeJson, encodeJson } from "../../../core/codec.js";
import { invalid, LabbookError } from "../../../core/errors.js";
import { checkOptions } from "../../../core/known-keys.js";
import type { ArtifactDescriptor, DataDescriptor } from "../../../core/types.js";
import { checkArtifactName } from "../../../core/validate.js";
import type { ArtifactSource, PutArtifactOptions } from "../../types.js";
import { PUT_ARTIFACT_KEYS } from "../../validate-write.js";
import type { SqlContext } from "../context.js";
import type { ArtifactsTable } from "../schema.js";
import { describeData } from "./data-shape.js";
import { runBlobPrefix } from "./runs-delete.js";
import { runKey, runKeyParts } from "./runs-read.js";

function toDescriptor(a: ArtifactsTable): ArtifactDescriptor {
  return {
    name: a.name,
    kind: a.kind,
    mediaType: a.media_type,
    size: Number(a.size),
    digest: a.digest,
    createdAt: new Date(Number(a.created_at)).toISOString(),
  };
}

async function* fileChunks(path: string): AsyncIterable<Uint8Array> {
  for await (const c of createReadStream(path)) yield c as Uint8Array;
}

export async function putArtifact(
  ctx: SqlContext,
  runId: string,
  name: string,
  source: ArtifactSource,
  options: PutArtifactOptions,
): Promise<ArtifactDescriptor> {
  checkArtifactName(name);
  checkOptions(options, PUT_ARTIFACT_KEYS, "putArtifact");
  const run = await runKey(ctx, runId);
  let body: Uint8Array | AsyncIterable<Uint8Array>;
  if (source instanceof Uint8Array || Symbol.asyncIterator in (source as object)) {
    body = source as Uint8Array | AsyncIterable<Uint8Array>;
  } else {
    const path = (source as { path: string }).path;
    const st = await stat(path).catch(() => null);
    if (!st?.isFile()) throw invalid("path", "must name a readable local file", path);
    body = fileChunks(path);
  }
  const location = `${runBlobPrefix(runId, run.id)}/${name}`;
  const { size, digest } = await ctx.blobs.put(location, body);
  const row: ArtifactsTable = {
    run_pk: run.id,
    name,
    kind: options.kind,
    media_type: options.mediaType,
    size,
    digest,
    location,
    created_at: Date.now(),
  };
  await ctx.db
    .insertInto("artifacts")
    .values(row)
    .onConflict((oc) =>
      oc.columns(["run_pk", "name"]).doUpdateSet((eb) => ({
        kind: eb.ref("excluded.kind"),
        media_type: eb.ref("excluded.media_type"),
        size: eb.ref("excluded.size"),
        digest: eb.ref("excluded.digest"),
        location: eb.ref("excluded.location"),
        created_at: eb.ref("excluded.created_at"),
      })),
    )
    .execute();
  return toDescriptor(row);
}

async function artifactRow(ctx: SqlContext, runId: string, name: string): Promise<ArtifactsTable> {
  checkArtifactName(name);
  const run = await runKey(ctx, runId);
  const a = await ctx.db
    .selectFrom("artifacts")
    .selectAll()
    .where("run_pk", "=", run.id)
    .where("name", "=", name)
    .executeTakeFirst();
  if (!a)
    throw new LabbookError("NOT_FOUND", `run ${runId} has no artifact ${JSON.stringify(name)}`, {
      field: "name",
    });
  return a;
}

export async function listArtifacts(ctx: SqlContext, runId: string): Promise<ArtifactDescriptor[]> {
  const run = await runKey(ctx, runId);
  const rows = await ctx.db
    .selectFrom("artifacts")
    .selectAll()
    .where("run_pk", "=", run.id)
    .orderBy("name")
    .execute();
  return rows.map(toDescriptor);
}

/** The artifacts of each of these runs that exists, by run id; see {@link Store.listArtifactsOfRuns}. */
export async function listArtifactsOfRuns(
  ctx: SqlContext,
  runIds: readonly string[],
): Promise<Record<string, ArtifactDescriptor[]>> {
  const out: Record<string, ArtifactDescriptor[]> = {};
  for (const part of await runKeyParts(ctx, runIds)) {
    for (const id of part.values()) out[id] = [];
    const rows = await ctx.db
      .selectFrom("artifacts")
      .selectAll()
      .where("run_pk", "in", [...part.keys()])
      .orderBy("run_pk")
      .orderBy("name")
      .execute();
    for (const a of rows) out[part.get(Number(a.run_pk))!]!.push(toDescriptor(a));
  }
  return out;
}

export async function getArtifact(ctx: SqlContext, runId: string, name: string) {
  const a = await artifactRow(ctx, runId, name);
  return { descriptor: toDescriptor(a), bytes: await ctx.blobs.read(a.location) };
}

export async function openArtifact(ctx: SqlContext, runId: string, name: string) {
  const a = await artifactRow(ctx, runId, name);
  return { descriptor: toDescriptor(a), stream: ctx.blobs.open(a.location) };
}

export async function putData(
  ctx: SqlContext,
  runId: string,
  name: string,
  value: unknown,
): Promise<DataDescriptor> {
  checkArtifactName(name);
  const encoded = encodeJson(value, `data.${name}`);
  const run = await runKey(ctx, runId);
  const d = describeData(name, value);
  await ctx.db
    .insertInto("run_data")
    .values({ run_pk: run.id, name, dtype: d.dtype, shape: JSON.stringify(d.shape), value: encoded })
    .onConflict((oc) =>
      oc.columns(["run_pk", "name"]).doUpdateSet((eb) => ({
        dtype: eb.ref("excluded.dtype"),
        shape: eb.ref("excluded.shape"),
        value: eb.ref("excluded.value"),
      })),
    )
    .execute();
  return d;
}

export async function getData(ctx: SqlContext, runId: string, name: string): Promise<unknown> {
  checkArtifactName(name);
  const run = await runKey(ctx, runId);
  const d = await ctx.db
    .selectFrom("run_data")
    .select("value")
    .where("run_pk", "=", run.id)
    .where("name", "=", name)
    .executeTakeFirst();
  if (!d)
    throw new LabbookError("NOT_FOUND", `run ${runId} has no data ${JSON.stringify(name)}`, {
      field: "name",
    });
  return decodeJson(d.value);
}

export async function listData(ctx: SqlContext, runId: string): Promise<DataDescriptor[]> {
  const run = await runKey(ctx, runId);
  const rows = await ctx.db
    .selectFrom("run_data")
    .select(["name", "dtype", "shape"])
    .where("run_pk", "=", run.id)
    .orderBy("name")
    .execute();
  return rows.map((r) => ({ name: r.name, dtype: r.dtype, shape: JSON.parse(r.shape) }));
}
