import { invalid } from "../core/errors.js";
import { checkKeys, type KnownKeys } from "../core/known-keys.js";
import type { RunRecord } from "../core/types.js";
import { parseExperimentRef } from "../core/validate.js";
import type { SearchRun } from "../store/search-methods.js";
import type { Store } from "../store/types.js";
import type { FromStoreOptions } from "./types.js";

/** The options `Results.fromStore` accepts; a new selection option is one more entry and one more branch below. */
const OPTIONS = { experiment: true, filter: true, sort: true } as const satisfies KnownKeys<FromStoreOptions>;

/**
 * The records a `Results` is built from, oldest first (the order they were logged). An unknown
 * experiment is `NOT_FOUND`; an unknown option is `INVALID_ARGUMENT`.
 */
export async function loadRecords(store: Store, options: FromStoreOptions = {}): Promise<RunRecord[]> {
  if (options === null || typeof options !== "object") {
    throw invalid("options", "must be an object such as { experiment }", options);
  }
  checkKeys(options, OPTIONS, "Results.fromStore", "options.");
  const experiment = options.experiment;
  if (experiment !== undefined) {
    const ref = parseExperimentRef(experiment, "experiment");
    await store.getExperiment(ref.name, ref.version);
  }
  if (options.filter !== undefined || options.sort !== undefined) {
    const out: RunRecord[] = [];
    const query = {
      ...(experiment === undefined ? {} : { experiment }),
      ...(options.filter === undefined ? {} : { filter: options.filter }),
      sort: options.sort ?? "created_at",
    };
    for await (const run of store.iterateRuns(query)) out.push(asRecord(run));
    return out;
  }
  const records = await store.listRuns(experiment === undefined ? {} : { experiment });
  return records.reverse();
}

/** A search result with every part selected (the default fields) as a whole record. */
function asRecord(run: SearchRun): RunRecord {
  return { ...run, params: run.params ?? {}, metrics: run.metrics ?? {}, derived: run.derived ?? {} };
}
