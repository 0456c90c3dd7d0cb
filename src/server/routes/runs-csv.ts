import { z } from "@hono/zod-openapi";
import { invalid } from "../../core/errors.js";
import { runFieldValue } from "../../query/run-value.js";
import { csvCell } from "../../results/csv.js";
import type { RunFieldSelection, SearchRun, SearchRunsQuery } from "../../store/search-methods.js";
import type { Store } from "../../store/types.js";
import type { App } from "../env.js";
import { addRoute, input } from "../route.js";
import { errors } from "../schemas/common.js";
import { commaList, parseFilter } from "../schemas/search.js";
import { streamResponse } from "../stream.js";
import type { RouteDeps } from "./deps.js";

const qp = (name: string, description: string) => ({ param: { name, in: "query" as const }, description });
type CsvQuery = { filter?: string; sort?: string; experiment?: string; columns?: string };

/** What a search must load for these columns: params, and each metric or derived value named. */
export function fieldsFor(columns: readonly string[]): RunFieldSelection[] {
  const fields = new Set<RunFieldSelection>();
  for (const c of columns) {
    if (c.startsWith("params.")) fields.add("params");
    else if (c.startsWith("metrics.") || c.startsWith("derived.")) fields.add(c as RunFieldSelection);
  }
  return [...fields];
}

/** The CSV lines of a search: the header, then one line per run (CRLF), read page by page. */
async function* csvLines(store: Store, query: SearchRunsQuery, columns: string[]): AsyncGenerator<string> {
  const it = store.iterateRuns({ ...query, pageSize: 1000 })[Symbol.asyncIterator]();
  let next = await it.next(); // a bad filter fails here, before the response starts
  yield `${columns.map(csvCell).join(",")}\r\n`;
  let lines: string[] = [];
  while (!next.done) {
    const run = next.value as SearchRun;
    lines.push(`${columns.map((c) => csvCell(runFieldValue(run, c))).join(",")}\r\n`);
    if (lines.length === 500) {
      yield lines.join("");
      lines = [];
    }
    next = await it.next();
  }
  if (lines.length > 0) yield lines.join("");
}

/** `GET /api/v1/search/runs.csv`: the runs of a search as CSV, with the columns asked for, streamed. */
export function runsCsvRoutes(app: App, d: RouteDeps): void {
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/search/runs.csv",
      tags: ["search"],
      summary: "Every run matching a filter, in the sort's order, as CSV with the given columns (streamed)",
      request: {
        query: z.object({
          filter: z.string().optional().openapi(qp("filter", "Either syntax of the query language")),
          sort: z.string().optional().openapi(qp("sort", "Comma list; a leading - is descending")),
          experiment: z.string().optional().openapi(qp("experiment", "`name` or `name:version`")),
          columns: z
            .string()
            .optional()
            .openapi(
              qp(
                "columns",
                "Comma list of field paths (run_id, name, status, params.<path>, metrics.<name>, tags.<key>...); default run_id, name, status, created_at",
              ),
            ),
        }),
      },
      responses: {
        200: { description: "CSV (RFC 4180)", content: { "text/csv": { schema: z.string() } } },
        ...errors(),
      },
    },
    async (c) => {
      const q = input<CsvQuery>(c, "query");
      const columns = commaList(q.columns) ?? ["run_id", "name", "status", "created_at"];
      if (columns.length === 0) throw invalid("columns", "must name at least one field", q.columns);
      const query: SearchRunsQuery = { fields: fieldsFor(columns) };
      const filter = parseFilter(q.filter);
      if (filter !== undefined) query.filter = filter;
      if (q.sort !== undefined) query.sort = q.sort;
      if (q.experiment !== undefined) query.experiment = q.experiment;
      return streamResponse(
        csvLines(c.var.store, query, columns),
        {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": 'attachment; filename="runs.csv"',
        },
        d.opts.log,
      );
    },
  );
}
