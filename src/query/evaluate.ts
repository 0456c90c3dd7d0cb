import type { RowRecord, RunRecord } from "../core/types.js";
import type { MetricThreshold } from "../scores/definitions.js";
import type { QueryKind, QueryNode, QueryScope, QueryValue } from "./ast.js";
import { type FieldRef, resolveField, timeLiteral } from "./fields.js";
import { containsMatch, likeMatch } from "./like.js";
import { paramLeaves, rowCell, runCell } from "./records.js";
import { type Cell, cellEquals, cellOrders } from "./values.js";

/** Reads a field of the record under test. */
export type CellReader = (field: FieldRef) => Cell;

/**
 * A literal as compared with a field: time fields read ISO strings as milliseconds.
 *
 * @example
 * fieldLiteral({ kind: "column", column: "created_at", type: "time", nullable: false }, "2026-01-01"); // 1767225600000
 */
export function fieldLiteral(f: FieldRef, v: QueryValue): QueryValue {
  if (f.kind === "column" && f.type === "time" && typeof v === "string") return timeLiteral(v) ?? v;
  return v;
}

type Evaluators = { [K in QueryKind]: (n: Extract<QueryNode, { kind: K }>, read: Reader) => boolean };
type Reader = (path: string) => { f: FieldRef; cell: Cell };

const EVAL: Evaluators = {
  and: (n, read) => n.items.every((i) => evaluate(i, read)),
  or: (n, read) => n.items.some((i) => evaluate(i, read)),
  not: (n, read) => !evaluate(n.item, read),
  compare: (n, read) => {
    const { f, cell } = read(n.field);
    const v = fieldLiteral(f, n.value);
    if (n.op === "eq") return cellEquals(cell, v);
    if (n.op === "ne") return !cellEquals(cell, v);
    return cellOrders(cell, n.op, v);
  },
  in: (n, read) => {
    const { f, cell } = read(n.field);
    const hit = n.values.some((v) => cellEquals(cell, fieldLiteral(f, v)));
    return n.negated ? !hit : hit;
  },
  like: (n, read) => {
    const { cell } = read(n.field);
    if (cell.t === "str") return likeMatch(cell.v, n.pattern, n.caseInsensitive);
    if (cell.t === "set") return cell.keys.some((k) => likeMatch(k, n.pattern, n.caseInsensitive));
    return false;
  },
  contains: (n, read) => {
    const { cell } = read(n.field);
    if (cell.t === "str") return containsMatch(cell.v, n.text, n.caseInsensitive);
    if (cell.t === "set") return cell.keys.some((k) => containsMatch(k, n.text, n.caseInsensitive));
    return false;
  },
  exists: (n, read) => {
    const { cell } = read(n.field);
    return cell.t === "set" ? cell.keys.length > 0 : cell.t !== "missing";
  },
};

function evaluate(node: QueryNode, read: Reader): boolean {
  return (EVAL[node.kind] as (n: QueryNode, r: Reader) => boolean)(node, read);
}

function reader(scope: QueryScope, cellOf: (f: FieldRef) => Cell): Reader {
  return (path) => {
    const f = resolveField(path, scope);
    if (typeof f === "string") throw new Error(`unknown field ${path}`);
    return { f, cell: cellOf(f) };
  };
}

/**
 * The reference semantics (see `SEMANTICS.md`): whether a value source matches a query.
 * `null` (no filter) matches everything.
 *
 * @example
 * matchesCells(parseQuery("metrics.acc > 0.5"), "runs", (f) => ({ t: "num", v: 0.7 })); // true
 */
export function matchesCells(node: QueryNode | null, scope: QueryScope, cellOf: CellReader): boolean {
  return node === null || evaluate(node, reader(scope, cellOf));
}

/**
 * Whether a run record matches a (parsed) run query, by the reference semantics.
 *
 * @example
 * matchesRun(parseQuery('params.model = "b"'), run);
 */
export function matchesRun(node: QueryNode | null, run: RunRecord): boolean {
  if (node === null) return true;
  let leaves: Map<string, Cell> | undefined;
  return evaluate(
    node,
    reader("runs", (f) => {
      if (f.kind === "param") leaves ??= paramLeaves(run.params);
      return runCell(run, f, leaves);
    }),
  );
}

/**
 * Whether a row matches a (parsed) row query; `thresholds` maps score names to the pass
 * thresholds of their metric definitions (for `passed`).
 *
 * @example
 * matchesRow(parseQuery("scores.exact_match = 0", "rows"), row, new Map());
 */
export function matchesRow(
  node: QueryNode | null,
  row: RowRecord,
  thresholds: ReadonlyMap<string, MetricThreshold> = new Map(),
): boolean {
  return (
    node === null ||
    evaluate(
      node,
      reader("rows", (f) => rowCell(row, f, thresholds)),
    )
  );
}
