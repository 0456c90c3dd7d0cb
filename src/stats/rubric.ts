const collator = new Intl.Collator("en", { numeric: true });

/**
 * Natural order of category names (`a2` before `a10`), ties broken by code points.
 *
 * @example
 * ["a10", "b", "a2"].sort(compareCategories); // ["a2", "a10", "b"]
 */
export function compareCategories(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** One category of a rubric score and how many values fell in it. */
export interface CategoryCount {
  category: string;
  count: number;
}

/**
 * The distribution of a rubric score: the `defined` categories first, in their order (zero
 * counts kept), then every other category seen, in natural order (`a2` before `a10`;
 * equal under the collator: by code points), so the order never depends on the data's order.
 *
 * @example
 * categoryDistribution(new Map([["bad", 2], ["x", 1]]), ["good", "bad"]);
 * // [{ category: "good", count: 0 }, { category: "bad", count: 2 }, { category: "x", count: 1 }]
 */
export function categoryDistribution(
  counts: ReadonlyMap<string, number>,
  defined: readonly string[] = [],
): CategoryCount[] {
  const out: CategoryCount[] = defined.map((category) => ({ category, count: counts.get(category) ?? 0 }));
  const known = new Set(defined);
  const others = [...counts.keys()].filter((c) => !known.has(c)).sort(compareCategories);
  for (const category of others) out.push({ category, count: counts.get(category)! });
  return out;
}

/**
 * The most frequent category of a distribution; a tie goes to the category listed first
 * (defined categories in their order, then natural order). `null` when every count is 0.
 *
 * @example
 * modeCategory([{ category: "a", count: 2 }, { category: "b", count: 2 }]); // "a"
 */
export function modeCategory(distribution: readonly CategoryCount[]): string | null {
  let best: string | null = null;
  let most = 0;
  for (const { category, count } of distribution) {
    if (count > most) {
      best = category;
      most = count;
    }
  }
  return best;
}

/**
 * Counts the categories of a list of values (nulls left out).
 *
 * @example
 * countCategories(["a", "b", "a", null]); // Map { "a" => 2, "b" => 1 }
 */
export function countCategories(values: Iterable<string | null>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}
