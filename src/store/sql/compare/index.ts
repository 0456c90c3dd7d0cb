// The SQL store's comparison of runs (see CompareMethods).
export { compareGroups } from "./compare-groups.js";
export { compareRuns } from "./compare-runs.js";
