/** Search over runs and rows (issue 3): the store methods of `SearchMethods`. */
export { fieldCatalog } from "./field-catalog.js";
export { selectRowPks } from "./row-filter.js";
export { selectRunPks } from "./run-filter.js";
export { searchRows } from "./search-rows.js";
export { iterateRuns, searchRuns } from "./search-runs.js";
