import { isLabbookError } from "../../core/errors.js";
import type { ExecutionRecord } from "../execution-methods.js";
import type { Store } from "../types.js";

const LINE_BATCH = 1000;

export interface ExecutionCopyCounts {
  executions: number;
  executionObjects: number;
  savedObjects: number;
  /** `name \0 source execution id` -> the id it has in the target (differs when the id was taken). */
  ids: Map<string, string>;
}

function freeId(taken: Set<string>, id: string): string {
  for (let n = 2; ; n++) {
    const candidate = `${id.slice(0, 15)}_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

async function copyLines(target: Store, source: Store, from: ExecutionRecord, toId: string): Promise<number> {
  let batch: string[] = [];
  let n = 0;
  for await (const line of source.executionObjects(from.experimentName, { executionId: from.executionId })) {
    batch.push(line.endsWith("\n") ? line.slice(0, -1) : line);
    if (batch.length >= LINE_BATCH) {
      await target.appendExecutionObjects(from.experimentName, toId, batch);
      n += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) await target.appendExecutionObjects(from.experimentName, toId, batch);
  return n + batch.length;
}

async function copySaved(target: Store, source: Store, from: ExecutionRecord, toId: string): Promise<number> {
  const have = new Set(
    (await target.listObjects(from.experimentName, { executionId: toId })).map((o) => o.name),
  );
  let n = 0;
  for (const o of await source.listObjects(from.experimentName, { executionId: from.executionId })) {
    if (have.has(o.name)) continue;
    const value = await source.loadObject(from.experimentName, o.name, { executionId: from.executionId });
    await target.saveObject(from.experimentName, o.name, value, { executionId: toId });
    n++;
  }
  return n;
}

/**
 * Copies the executions of one experiment name that `target` lacks (matched by `uid`), with
 * their `objects.jsonl` lines, and the saved objects it lacks. An execution whose id is taken
 * by another execution is copied under the next free `_N` id.
 */
export async function copyExecutions(
  target: Store,
  source: Store,
  name: string,
  counts: ExecutionCopyCounts,
) {
  const mine = await target
    .listExecutions(name)
    .catch((e) => (isLabbookError(e, "NOT_FOUND") ? [] : Promise.reject(e)));
  const byUid = new Map(mine.map((e) => [e.uid, e.executionId]));
  const taken = new Set(mine.map((e) => e.executionId));
  for (const from of await source.listExecutions(name)) {
    let toId = byUid.get(from.uid);
    if (toId === undefined) {
      toId = taken.has(from.executionId) ? freeId(taken, from.executionId) : from.executionId;
      await target.importExecution({
        experiment: from.experimentId,
        executionId: toId,
        uid: from.uid,
        status: from.status,
        startedAt: Date.parse(from.startedAt),
        finishedAt: from.finishedAt === null ? null : Date.parse(from.finishedAt),
        manifest: from.manifest && { ...from.manifest, executionId: toId },
      });
      taken.add(toId);
      byUid.set(from.uid, toId);
      counts.executions++;
      counts.executionObjects += await copyLines(target, source, from, toId);
    }
    counts.ids.set(`${name}\u0000${from.executionId}`, toId);
    counts.savedObjects += await copySaved(target, source, from, toId);
  }
}
