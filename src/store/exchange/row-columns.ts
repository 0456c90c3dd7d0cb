import type { RowRecord } from "../../core/types.js";
import type { ColumnSpill, SpillColumn } from "./column-spill.js";
import { SpillColumns } from "./spill-columns.js";

/** The spill columns of rows: `r:datapoint_id`, `r:trial`, `x:<item path>`, `o:output`, `s:<score>`, `r:passed`. */
export class RowColumns {
  readonly #spill: ColumnSpill;
  readonly #datapoint: SpillColumn;
  readonly #trial: SpillColumn;
  readonly #output: SpillColumn;
  readonly #passed: SpillColumn;
  readonly #item: SpillColumns;
  readonly #scores: SpillColumns;

  constructor(spill: ColumnSpill) {
    this.#spill = spill;
    this.#datapoint = spill.column("r:datapoint_id");
    this.#trial = spill.column("r:trial");
    this.#item = new SpillColumns(spill, "x");
    this.#output = spill.column("o:output");
    this.#scores = new SpillColumns(spill, "s");
    this.#passed = spill.column("r:passed");
  }

  /**
   * Puts a row's own columns: an item object flattened to dotted paths (any other item is `x:`
   * alone, named `item`), the output, each score and `passed`.
   *
   * @example
   * new RowColumns(spill).put({ datapointId: "q1", trial: 0, item: { q: "2+2" }, output: "4", scores: { em: 1 }, requests: null }, true);
   * // columns r:datapoint_id, r:trial, x:q, o:output, s:em, r:passed
   */
  put(row: RowRecord, passed: boolean): void {
    const spill = this.#spill;
    spill.put(this.#datapoint, row.datapointId);
    spill.put(this.#trial, row.trial);
    const item = row.item as unknown;
    if (
      item !== null &&
      typeof item === "object" &&
      !Array.isArray(item) &&
      !ArrayBuffer.isView(item) &&
      !(item instanceof Date)
    ) {
      // An empty item object has no columns.
      const o = item as Record<string, unknown>;
      for (const k of Object.keys(o)) this.#item.putLeaves("", k, o[k]);
    } else if (item !== null && item !== undefined) this.#item.put("", item);
    if (row.output !== undefined) {
      if (row.output === null) spill.set("o:output", null);
      else spill.put(this.#output, row.output);
    }
    const scores = row.scores;
    for (const k in scores) this.#scores.put(k, scores[k]);
    spill.put(this.#passed, passed);
  }
}

/**
 * Rows read per page by the exports: few enough that a page's row objects are collected young
 * (a page of 10,000 lived long enough to be promoted, and the process grew by ~100 MB more over
 * 1,000,000 rows), many enough that paging costs little.
 */
export const ROW_BATCH = 2000;
