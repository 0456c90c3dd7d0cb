import { decodeObjectGraph, type GraphNodeLine, resolveGraphSlot } from "../core/object-graph.js";
import type { ExecutionRecord, ExecutionRef } from "../store/execution-methods.js";
import type { Store } from "../store/types.js";
import type { ExecutionHandle } from "./types.js";

/** An execution read back: its configs, with shared sub-configs shared again (`===`). */
export interface LoadedExecution {
  executionId: string;
  experimentId: string;
  record: ExecutionRecord;
  /** Run id -> the config (params) it was submitted with. */
  runs: Map<string, Record<string, unknown>>;
  /** Every object of the `objects.jsonl` record, by id. */
  objects: Map<number, object>;
  /** Run id -> tags, as submitted. */
  tags: Map<string, Record<string, string>>;
  /** Run id -> seed. */
  seeds: Map<string, number>;
}

interface RunLine {
  kind: "run";
  runId: string;
  config: unknown;
  seed: number;
  tags?: Record<string, string>;
}

/**
 * Loads an execution of an experiment (the latest when `executionId` is omitted) from its
 * `objects.jsonl` record: run id -> config, where configs that shared a sub-config when they
 * were submitted share the same JS object again.
 *
 * @example
 * const { executionId, runs } = await loadExecution(store, "grid-search");
 * const [a, b] = [...runs.values()];
 * a.model === b.model; // true when both runs were given the same model object
 */
export async function loadExecution(
  store: Store,
  experimentName: string,
  options: ExecutionRef = {},
): Promise<LoadedExecution> {
  const record = await store.getExecution(experimentName, options);
  const nodes: GraphNodeLine[] = [];
  const runLines: RunLine[] = [];
  for await (const text of store.executionObjects(experimentName, { executionId: record.executionId })) {
    const line = JSON.parse(text) as GraphNodeLine | RunLine;
    if (line.kind === "run") runLines.push(line);
    else nodes.push(line);
  }
  const objects = decodeObjectGraph(nodes);
  const runs = new Map<string, Record<string, unknown>>();
  const tags = new Map<string, Record<string, string>>();
  const seeds = new Map<string, number>();
  for (const l of runLines) {
    runs.set(l.runId, resolveGraphSlot(l.config, objects) as Record<string, unknown>);
    tags.set(l.runId, l.tags ?? {});
    seeds.set(l.runId, l.seed);
  }
  return {
    executionId: record.executionId,
    experimentId: record.experimentId,
    record,
    runs,
    objects,
    tags,
    seeds,
  };
}

/** The handle of a known execution. */
export function executionHandle(store: Store, experimentName: string, executionId: string): ExecutionHandle {
  return {
    experimentName,
    executionId,
    save: (value, name) => store.saveObject(experimentName, name, value, { executionId }),
    load: (name) => store.loadObject(experimentName, name, { executionId }),
  };
}

/**
 * An execution (the latest when `executionId` is omitted), to save objects with it after
 * its sweep ended (or load them).
 *
 * @example
 * const execution = await openExecution(store, "grid-search");
 * await execution.save(summary, "final-results");
 * // later, from any script:
 * await store.loadObject("grid-search", "final-results");
 */
export async function openExecution(
  store: Store,
  experimentName: string,
  options: ExecutionRef = {},
): Promise<ExecutionHandle> {
  const record = await store.getExecution(experimentName, options);
  return executionHandle(store, experimentName, record.executionId);
}
