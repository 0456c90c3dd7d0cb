import { describe } from "vitest";
import type { Store } from "../types.js";
import { bulkCases } from "./bulk-cases.js";
import { compareCases } from "./compare-cases.js";
import { executionCases } from "./executions-cases.js";
import { experimentCases } from "./experiments-cases.js";
import { fileCases } from "./files-cases.js";
import { lifecycleCases } from "./lifecycle-cases.js";
import { livenessCases } from "./liveness-cases.js";
import { paramsCases } from "./params-cases.js";
import { recordingCases } from "./recording-cases.js";
import { scoreCases } from "./scores-cases.js";
import { searchCases } from "./search-cases.js";
import { timeCases } from "./times-cases.js";
import { valueCases } from "./values-cases.js";
import { viewCases } from "./view-cases.js";

/** Makes a fresh, empty store for one test and disposes of it. */
export interface StoreFixture {
  store: Store;
  cleanup(): Promise<void>;
}

export interface ContractOptions {
  /** Cases this store cannot run, each with the reason (printed as the skip message). */
  skip?: Record<string, string>;
}

/** What each group of cases receives. */
export interface ContractContext {
  fresh(): Promise<StoreFixture>;
  /** `it` or `it.skip` with the declared reason. */
  skipReason(name: string): string | undefined;
}

/**
 * The one contract suite every {@link Store} runs: SQLite, PostgreSQL, remote.
 * Call it from a `*.test.ts` beside the store with a factory of empty stores.
 *
 * @example
 * runStoreContract("sqlite", async () => { const dir = mkdtempSync(...); ... });
 */
export function runStoreContract(
  name: string,
  fresh: () => Promise<StoreFixture>,
  options: ContractOptions = {},
): void {
  const ctx: ContractContext = { fresh, skipReason: (n) => options.skip?.[n] };
  describe(`store contract: ${name}`, () => {
    experimentCases(ctx);
    recordingCases(ctx);
    lifecycleCases(ctx);
    paramsCases(ctx);
    timeCases(ctx);
    valueCases(ctx);
    fileCases(ctx);
    bulkCases(ctx);
    scoreCases(ctx);
    searchCases(ctx);
    compareCases(ctx);
    executionCases(ctx);
    livenessCases(ctx);
    viewCases(ctx);
  });
}
