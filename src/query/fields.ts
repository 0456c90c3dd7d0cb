import type { QueryScope } from "./ast.js";

/** A column of a run: its value type (`time` fields are milliseconds since the epoch). */
export type RunColumn =
  | "run_id"
  | "name"
  | "status"
  | "experiment"
  | "version"
  | "created_at"
  | "started_at"
  | "finished_at"
  | "duration_ms";

/** A column of a row. */
export type RowColumn = "datapoint_id" | "trial";

export type ColumnType = "string" | "number" | "time";

/**
 * A resolved field path. Runs: columns, `params.<path>`, `metrics.<name>`, `derived.<name>`,
 * `tags` (the set of tag keys), `tags.<key>` (one tag's value). Rows: `datapoint_id`, `trial`,
 * `item[.<path>]`, `output[.<path>]`, `scores.<name>`, `passed`.
 */
export type FieldRef =
  | { kind: "column"; column: RunColumn | RowColumn; type: ColumnType; nullable: boolean }
  | { kind: "param"; path: string }
  | { kind: "metric"; name: string }
  | { kind: "derived"; name: string }
  | { kind: "tags" }
  | { kind: "tag"; key: string }
  | { kind: "json"; column: "item" | "output"; keys: string[] }
  | { kind: "score"; name: string }
  | { kind: "passed" };

const RUN_COLUMNS: Record<RunColumn, { type: ColumnType; nullable: boolean }> = {
  run_id: { type: "string", nullable: false },
  name: { type: "string", nullable: true },
  status: { type: "string", nullable: false },
  experiment: { type: "string", nullable: false },
  version: { type: "string", nullable: false },
  created_at: { type: "time", nullable: false },
  started_at: { type: "time", nullable: true },
  finished_at: { type: "time", nullable: true },
  duration_ms: { type: "number", nullable: true },
};
const ROW_COLUMNS: Record<RowColumn, { type: ColumnType; nullable: boolean }> = {
  datapoint_id: { type: "string", nullable: false },
  trial: { type: "number", nullable: false },
};

/** The field paths of a scope, for messages and completion. */
export const FIELD_HELP: Record<QueryScope, string> = {
  runs: "run_id, name, status, experiment, version, created_at, started_at, finished_at, duration_ms, params.<path>, metrics.<name>, derived.<name>, tags, tags.<key>",
  rows: "datapoint_id, trial, item[.<path>], output[.<path>], scores.<name>, passed",
};

/**
 * Resolves a field path of a scope, or returns a message saying what was expected.
 *
 * @example
 * resolveField("metrics.acc", "runs"); // { kind: "metric", name: "acc" }
 */
export function resolveField(path: string, scope: QueryScope): FieldRef | string {
  const dot = path.indexOf(".");
  const head = dot < 0 ? path : path.slice(0, dot);
  const rest = dot < 0 ? "" : path.slice(dot + 1);
  const expected = `a field (${FIELD_HELP[scope]})`;
  if (scope === "runs") {
    if (dot < 0 && head in RUN_COLUMNS)
      return { kind: "column", column: head as RunColumn, ...RUN_COLUMNS[head as RunColumn] };
    if (head === "tags" && dot < 0) return { kind: "tags" };
    if (rest === "") return expected;
    if (head === "params")
      return rest.split(".").some((s) => s === "") ? expected : { kind: "param", path: rest };
    if (head === "metrics") return { kind: "metric", name: rest };
    if (head === "derived") return { kind: "derived", name: rest };
    if (head === "tags") return { kind: "tag", key: rest };
    return expected;
  }
  if (dot < 0 && head in ROW_COLUMNS)
    return { kind: "column", column: head as RowColumn, ...ROW_COLUMNS[head as RowColumn] };
  if (path === "passed") return { kind: "passed" };
  if (head === "item" || head === "output") {
    const keys = rest === "" ? [] : rest.split(".");
    if (dot >= 0 && keys.some((k) => k === "" || k.includes('"') || k.includes("\\"))) {
      return `${expected}; item and output keys are non-empty and hold no quote or backslash`;
    }
    return { kind: "json", column: head, keys };
  }
  if (head === "scores" && rest !== "") return { kind: "score", name: rest };
  return expected;
}

/**
 * The SQL and evaluator view of a field's literal: time fields accept ISO strings.
 *
 * @example
 * isTimeField(resolveField("created_at", "runs") as FieldRef); // true
 */
export function isTimeField(f: FieldRef): boolean {
  return f.kind === "column" && f.type === "time";
}

/**
 * A time literal as milliseconds: numbers as they are, strings parsed as ISO dates; `undefined`
 * when the string is not a date.
 *
 * @example
 * timeLiteral("2026-01-01T00:00:00Z"); // 1767225600000
 */
export function timeLiteral(v: number | string): number | undefined {
  if (typeof v === "number") return v;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}
