/** The runs table's view, all of it in the URL: a link reproduces it. */
export interface RunsView {
  experiment: string;
  filter: string;
  sort: string;
  /** Column field paths; empty: chosen from the runs shown. */
  cols: string[];
  /** Params to group by; empty: no grouping. */
  group: string[];
  page: number;
  size: number;
}

export const PAGE_SIZES = [25, 50, 100, 200, 500, 1000];
export const BASE_COLUMNS = ["status", "name", "created_at", "duration_ms"];
const list = (s: string | null) => (s ? s.split(",").filter((x) => x !== "") : []);

/** The view a URL's query names (defaults filled in). */
export function viewFromQuery(q: URLSearchParams): RunsView {
  const page = Number(q.get("page") ?? "1");
  const size = Number(q.get("size") ?? "50");
  return {
    experiment: q.get("experiment") ?? "",
    filter: q.get("filter") ?? "",
    sort: q.get("sort") ?? "-created_at",
    cols: list(q.get("cols")),
    group: list(q.get("group")),
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    size: PAGE_SIZES.includes(size) ? size : 50,
  };
}

/** The URL query of a view (defaults left out). */
export function viewQuery(v: RunsView): Record<string, string | number | undefined> {
  return {
    experiment: v.experiment || undefined,
    filter: v.filter || undefined,
    sort: v.sort === "-created_at" ? undefined : v.sort,
    cols: v.cols.length ? v.cols.join(",") : undefined,
    group: v.group.length ? v.group.join(",") : undefined,
    page: v.page === 1 ? undefined : v.page,
    size: v.size === 50 ? undefined : v.size,
  };
}

/** The sort after a click on a column's header: descending first, then ascending; shift adds a key. */
export function nextSort(sort: string, field: string, add: boolean): string {
  const keys = sort.split(",").filter((k) => k !== "");
  const i = keys.findIndex((k) => k.replace(/^-/, "") === field);
  const current = i >= 0 ? keys[i] : undefined;
  const flipped = current === `-${field}` ? field : `-${field}`;
  if (!add) return flipped;
  if (i >= 0) keys[i] = flipped;
  else keys.push(`-${field}`);
  return keys.join(",");
}

/** How a column is sorted now: `desc`, `asc` or undefined. */
export function sortOf(sort: string, field: string): "asc" | "desc" | undefined {
  for (const k of sort.split(",")) {
    if (k === field) return "asc";
    if (k === `-${field}`) return "desc";
  }
  return undefined;
}

/** The `fields` a search needs for these columns (params whole, each metric or derived value named). */
export function fieldsParam(cols: readonly string[]): string {
  const out = new Set<string>();
  for (const c of cols) {
    if (c.startsWith("params.")) out.add("params");
    else if (c.startsWith("metrics.") || c.startsWith("derived.")) out.add(c);
  }
  return [...out].join(",");
}

/** The leaf paths of a params object (`optimizer.lr`). */
export function paramPaths(params: Record<string, unknown>, prefix = "", out: string[] = []): string[] {
  for (const [k, v] of Object.entries(params)) {
    const p = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === "object" && !Array.isArray(v))
      paramPaths(v as Record<string, unknown>, p, out);
    else out.push(p);
  }
  return out;
}
