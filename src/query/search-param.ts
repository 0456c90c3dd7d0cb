import { LabbookError } from "../core/errors.js";
import { junction, type QueryNode, type QueryScope } from "./ast.js";
import { parseQuery } from "./parse.js";
import { parseJsonQuery } from "./parse-json.js";
import { printQuery } from "./print.js";

/**
 * The NVIDIA evaluator's `search` parameter: a JSON-operator object whose bare string values
 * are substring matches (`{ name: "llama" }` is `{ name: { $like: "llama" } }`), or one bare
 * string matched as a substring of the run's name, experiment or tag keys.
 */
export type SearchParam = string | Record<string, unknown>;

/** The fields a bare search string looks into. */
export const SEARCH_TEXT_FIELDS = ["name", "experiment", "tags"] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The object with every bare string value of a field turned into `$like` (a substring match). */
function substrings(q: unknown): unknown {
  if (Array.isArray(q)) return q.map(substrings);
  if (!isObject(q)) return q;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(q)) {
    if (k === "$and" || k === "$or" || k === "$not") out[k] = substrings(v);
    else out[k] = typeof v === "string" && !k.startsWith("$") ? { $like: v } : v;
  }
  return out;
}

function asSearchError(e: unknown): unknown {
  if (!(e instanceof LabbookError) || !e.message.startsWith("filter")) return e;
  const field = e.field?.replace(/^filter/, "search") ?? "search";
  return new LabbookError(e.code, e.message.replace(/^filter/, "search"), { field, details: e.details });
}

/**
 * Parses a `search` parameter (see {@link SearchParam}) into a query tree; `null` matches
 * everything (`undefined`, `""`, `{}`). A string that starts with `{` is read as JSON. Errors
 * are `INVALID_ARGUMENT` naming the path under `search`.
 *
 * @example
 * parseSearchParam({ name: "llama" }); // { kind: "contains", field: "name", text: "llama", caseInsensitive: false }
 * parseSearchParam("llama"); // name, experiment or a tag key contains "llama"
 */
export function parseSearchParam(
  search: SearchParam | undefined,
  scope: QueryScope = "runs",
): QueryNode | null {
  if (search === undefined) return null;
  let q: unknown = search;
  if (typeof search === "string") {
    const text = search.trim();
    if (!text.startsWith("{")) {
      if (text === "") return null;
      if (scope !== "runs")
        throw new LabbookError("INVALID_ARGUMENT", "search: a bare string searches runs only", {
          field: "search",
        });
      return junction(
        "or",
        SEARCH_TEXT_FIELDS.map(
          (field): QueryNode => ({ kind: "contains", field, text: search, caseInsensitive: false }),
        ),
      );
    }
    try {
      q = JSON.parse(text);
    } catch (e) {
      throw new LabbookError(
        "INVALID_ARGUMENT",
        `search: expected a string or a JSON object; ${(e as Error).message}`,
        {
          field: "search",
        },
      );
    }
  }
  if (!isObject(q)) {
    throw new LabbookError(
      "INVALID_ARGUMENT",
      "search: expected a string or an object of fields and operators",
      {
        field: "search",
      },
    );
  }
  try {
    return parseJsonQuery(substrings(q), scope);
  } catch (e) {
    throw asSearchError(e);
  }
}

/**
 * A filter and a `search` parameter as one filter in the string syntax (both must hold), for
 * the stores' search calls; the filter as it is when there is no search.
 *
 * @example
 * mergeSearch("metrics.acc > 0.5", { name: "llama" }); // 'metrics.acc > 0.5 and name contains "llama"'
 */
export function mergeSearch(
  filter: string | Record<string, unknown> | undefined,
  search: SearchParam | undefined,
  scope: QueryScope = "runs",
): string | Record<string, unknown> | undefined {
  const s = parseSearchParam(search, scope);
  if (s === null) return filter;
  const f = parseQuery(filter, scope);
  return printQuery(f === null ? s : junction("and", [f, s]));
}
