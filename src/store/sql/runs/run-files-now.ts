import { readFileSync } from "node:fs";
import { encodeJson } from "../../../core/codec.js";
import { LabbookError } from "../../../core/errors.js";
import { checkArtifactName } from "../../../core/validate.js";
import type { PutArtifactOptions } from "../../types.js";
import type { SqlContext } from "../context.js";
import { type InsertSpec, insertSteps, statement, type TxSteps } from "../write-tx.js";
import { describeData } from "./data-shape.js";
import { runBlobPrefix } from "./runs-delete.js";

/**
 * Artifacts and data written synchronously, for a process that is exiting (see
 * `SyncRunWriter`): the embedded store, whose database and artifact folder can both be
 * written without waiting.
 */

const ARTIFACT_UPSERT: InsertSpec = {
  table: "artifacts",
  columns: ["run_pk", "name", "kind", "media_type", "size", "digest", "location", "created_at"],
  conflict: {
    target: ["run_pk", "name"],
    update: ["kind", "media_type", "size", "digest", "location", "created_at"],
  },
};

const DATA_UPSERT: InsertSpec = {
  table: "run_data",
  columns: ["run_pk", "name", "dtype", "shape", "value"],
  conflict: { target: ["run_pk", "name"], update: ["dtype", "shape", "value"] },
};

function* runPk(ctx: SqlContext, runId: string): TxSteps<number> {
  const [run] = yield* statement<{ id: number }>(
    ctx.db
      .selectFrom("runs")
      .select("id")
      .where("workspace", "=", ctx.workspace)
      .where("run_id", "=", String(runId))
      .compile(),
  );
  if (!run)
    throw new LabbookError("NOT_FOUND", `run ${runId} does not exist`, {
      field: "runId",
      details: { runId },
    });
  return Number(run.id);
}

function writeNow<T>(ctx: SqlContext, steps: () => TxSteps<T>): T {
  if (!ctx.writeStepsNow) {
    throw new LabbookError("FAILED_PRECONDITION", `store ${ctx.uri} cannot write synchronously`);
  }
  return ctx.writeStepsNow(steps);
}

/**
 * Stores an artifact now (bytes, or a local file read now); replaces one of the same name.
 *
 * @example
 * putArtifactNow(ctx, runId, "notes.txt", Buffer.from("hi"), { kind: "text", mediaType: "text/plain" });
 */
export function putArtifactNow(
  ctx: SqlContext,
  runId: string,
  name: string,
  source: Uint8Array | { path: string },
  options: PutArtifactOptions,
): void {
  checkArtifactName(name);
  const blobs = ctx.blobs;
  if (!blobs.putNow)
    throw new LabbookError("FAILED_PRECONDITION", "this artifact store cannot write synchronously");
  const bytes = source instanceof Uint8Array ? source : readFileSync(source.path);
  writeNow(ctx, function* () {
    const pk = yield* runPk(ctx, runId);
    const location = `${runBlobPrefix(runId, pk)}/${name}`;
    const { size, digest } = blobs.putNow!(location, bytes);
    yield* insertSteps(ctx.db, ARTIFACT_UPSERT, [
      [pk, name, options.kind, options.mediaType, size, digest, location, Date.now()],
    ]);
  });
}

/**
 * Stores a structured data item now; replaces one of the same name.
 *
 * @example
 * putDataNow(ctx, runId, "curve", [1, 2, 3]);
 */
export function putDataNow(ctx: SqlContext, runId: string, name: string, value: unknown): void {
  checkArtifactName(name);
  const encoded = encodeJson(value, `data.${name}`);
  const d = describeData(name, value);
  writeNow(ctx, function* () {
    const pk = yield* runPk(ctx, runId);
    yield* insertSteps(ctx.db, DATA_UPSERT, [[pk, name, d.dtype, JSON.stringify(d.shape), encoded]]);
  });
}
