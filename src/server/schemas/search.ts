import { z } from "@hono/zod-openapi";
import { invalid } from "../../core/errors.js";
import type { SearchFilter } from "../../store/search-methods.js";

const qp = (name: string, description: string) => ({ param: { name, in: "query" as const }, description });

/** Query parameters of a search: `filter` (either syntax), `sort`, `page`, `page_size`, `cursor`. */
export function searchParams(maxPageSize: number) {
  return {
    filter: z
      .string()
      .optional()
      .openapi(
        qp(
          "filter",
          'String syntax (`metrics.acc > 0.9 and params.model = "b"`) or JSON operators (`{...}`)',
        ),
      ),
    sort: z
      .string()
      .optional()
      .openapi(qp("sort", "Comma list; a leading - is descending: `-metrics.acc,created_at`")),
    page: z.coerce.number().int().min(1).optional().openapi(qp("page", "1-based; ignored with cursor")),
    page_size: z.coerce
      .number()
      .int()
      .min(1)
      .max(maxPageSize)
      .optional()
      .openapi(qp("page_size", `1 to ${maxPageSize}`)),
    cursor: z.string().optional().openapi(qp("cursor", "nextCursor of the previous page")),
  };
}

export const FieldsParam = z
  .string()
  .optional()
  .openapi(qp("fields", "Comma list of params, metrics, derived, series, metrics.<name>...; empty for none"));

/** A `filter` parameter: JSON operators when it starts with `{`, else the string syntax. */
export function parseFilter(text: string | undefined): SearchFilter | undefined {
  if (text === undefined) return undefined;
  if (!text.trimStart().startsWith("{")) return text;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw invalid("filter", `must be the string syntax or a JSON object: ${(e as Error).message}`, text);
  }
}

/** A comma list parameter (`undefined` when absent, `[]` when empty). */
export function commaList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export const SearchPagination = z.object({
  page: z.number().int(),
  pageSize: z.number().int(),
  totalPages: z.number().int(),
  totalResults: z.number().int(),
});
