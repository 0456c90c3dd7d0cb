import type { Command } from "commander";
import { registerAgg } from "./agg.js";
import { registerAggRuns } from "./agg-runs.js";
import { registerCompare } from "./compare.js";
import { registerCompareGroups } from "./compare-groups.js";
import { registerExecutions } from "./executions.js";
import { registerExperiments } from "./experiments.js";
import { registerExport } from "./export.js";
import { registerExports } from "./exports.js";
import { registerFields } from "./fields.js";
import { registerImport } from "./import.js";
import { registerKeys } from "./keys.js";
import { registerMerge } from "./merge.js";
import { registerResult } from "./result.js";
import { registerRows } from "./rows.js";
import { registerRun } from "./run.js";
import { registerRuns } from "./runs.js";
import { registerServe } from "./serve.js";
import { registerShow } from "./show.js";
import { registerUi } from "./ui.js";
import { registerVersions } from "./versions.js";

/** Adds one command (or a group) to the program. */
export type RegisterCommand = (program: Command) => void;

/**
 * Every command of the CLI, in help order. Each lives in its own file beside this one and
 * exports a `register` function; add one line here per command file.
 */
export const COMMANDS: RegisterCommand[] = [
  // Foundation: list, show, export
  registerExperiments,
  registerRuns,
  registerShow,
  registerExport,
  registerExports,
  registerImport,
  // Query and search (issue 3)
  registerRows,
  registerFields,
  // Comparison (issue 5)
  registerCompare,
  registerCompareGroups,
  // Scores and aggregates (issue 4)
  registerAgg,
  registerResult,
  registerAggRuns,
  // Server and API keys (issue 7)
  registerServe,
  registerKeys,
  registerUi,
  // Runner: run, executions, versions, merge (issue 6)
  registerRun,
  registerExecutions,
  registerVersions,
  registerMerge,
];
