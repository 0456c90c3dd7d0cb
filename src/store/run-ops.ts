import type { ArtifactDescriptor, DataDescriptor } from "../core/types.js";
import type { PutArtifactOptions, RunWriteBatch, Store, SyncRunWriter } from "./types.js";

interface Settles {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Metrics, tags and rows (and the run's end) written in one transaction. */
export interface BatchOp extends Settles {
  kind: "batch";
  batch: RunWriteBatch;
}

/** An artifact, its bytes fixed when it was logged (or a local file read when it is written). */
export interface ArtifactOp extends Settles {
  kind: "artifact";
  name: string;
  source: Uint8Array | { path: string };
  options: PutArtifactOptions;
}

/** A structured data item, copied when it was logged. */
export interface DataOp extends Settles {
  kind: "data";
  name: string;
  value: unknown;
}

/** One write of a run handle, queued in call order. */
export type RunOp = BatchOp | ArtifactOp | DataOp;
type OpOf<K extends RunOp["kind"]> = Extract<RunOp, { kind: K }>;

/** True when a batch holds nothing to write (it still waits for the writes queued before it). */
export function isEmptyBatch(b: RunWriteBatch): boolean {
  return !b.create && !b.params && !b.metrics && !b.tags && !b.rows && !b.end;
}

const NOTHING: Promise<void> = Promise.resolve();

const APPLY: { [K in RunOp["kind"]]: (store: Store, runId: string, op: OpOf<K>) => Promise<unknown> } = {
  batch: (store, runId, op) => (isEmptyBatch(op.batch) ? NOTHING : store.writeRun(runId, op.batch)),
  artifact: (store, runId, op): Promise<ArtifactDescriptor> =>
    store.putArtifact(runId, op.name, op.source, op.options),
  data: (store, runId, op): Promise<DataDescriptor> => store.putData(runId, op.name, op.value),
};

const APPLY_NOW: { [K in RunOp["kind"]]: (writer: SyncRunWriter, runId: string, op: OpOf<K>) => void } = {
  batch: (writer, runId, op) => {
    if (!isEmptyBatch(op.batch)) writer.writeRun(runId, op.batch);
  },
  artifact: (writer, runId, op) => writer.putArtifact(runId, op.name, op.source, op.options),
  data: (writer, runId, op) => writer.putData(runId, op.name, op.value),
};

/**
 * Applies one queued write through the store.
 *
 * @example
 * const descriptor = await applyOp(store, run.runId, op);
 */
export function applyOp(store: Store, runId: string, op: RunOp): Promise<unknown> {
  return (APPLY[op.kind] as (s: Store, id: string, o: RunOp) => Promise<unknown>)(store, runId, op);
}

/**
 * Applies one queued write synchronously, now (process exit).
 *
 * @example
 * applyOpNow(store.syncWriter, run.runId, op);
 */
export function applyOpNow(writer: SyncRunWriter, runId: string, op: RunOp): void {
  (APPLY_NOW[op.kind] as (w: SyncRunWriter, id: string, o: RunOp) => void)(writer, runId, op);
}
