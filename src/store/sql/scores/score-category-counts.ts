import { countCategories } from "../../../stats/rubric.js";
import { type ScoreColumn, TAG_STRING } from "../rows/score-chunk-codec.js";
import { categoryAt, positionsIn, type RowSelection, rubricSamples } from "./score-samples.js";

/**
 * The category counts of a score per group (nulls left out), counted on the column's
 * dictionary codes (no string per row). With `byDatapoint` each datapoint counts once, with
 * its most frequent category (see `rubricSamples`).
 */
export function categoryCounts(
  col: ScoreColumn,
  sel: RowSelection | null,
  byDatapoint: boolean,
): Map<string, number>[] {
  if (byDatapoint && sel?.datapoint) return rubricSamples(col, sel, true).map(countCategories);
  const groups = sel?.groups ?? 1;
  const pos = sel ? positionsIn(col, sel) : null;
  const codeCounts = Array.from({ length: groups }, () => new Float64Array(col.dict.length));
  const other = Array.from({ length: groups }, () => new Map<string, number>());
  for (let i = 0; i < col.count; i++) {
    let g = 0;
    if (pos) {
      const p = pos[i]!;
      if (p < 0) continue;
      g = sel!.group[p]!;
    }
    if (col.tags[i] === TAG_STRING) {
      codeCounts[g]![col.codes[i]!]!++;
      continue;
    }
    const c = categoryAt(col, i);
    if (c !== null) other[g]!.set(c, (other[g]!.get(c) ?? 0) + 1);
  }
  return other.map((m, g) => {
    const counts = codeCounts[g]!;
    for (let k = 0; k < counts.length; k++) {
      if (counts[k]! > 0) {
        const c = col.dict[k]!;
        m.set(c, (m.get(c) ?? 0) + counts[k]!);
      }
    }
    return m;
  });
}

/** Adds category counts together. */
export function mergeCounts(parts: readonly Map<string, number>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of parts) for (const [c, n] of m) out.set(c, (out.get(c) ?? 0) + n);
  return out;
}
