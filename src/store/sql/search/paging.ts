import { sha256Hex } from "../../../core/canonical.js";
import { decodeJson, encodeJson } from "../../../core/codec.js";
import { invalid, LabbookError } from "../../../core/errors.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../search-methods.js";
import type { KeyAt } from "./compile-sort.js";

/**
 * Checks `page` and `pageSize` (1..{@link MAX_PAGE_SIZE}).
 *
 * @example
 * checkPaging(2, 50); // { page: 2, pageSize: 50 }
 */
export function checkPaging(
  page: unknown,
  pageSize: unknown,
  defaultSize = DEFAULT_PAGE_SIZE,
): { page: number; pageSize: number } {
  const p = page ?? 1;
  const s = pageSize ?? defaultSize;
  if (typeof p !== "number" || !Number.isInteger(p) || p < 1)
    throw invalid("page", "must be an integer of at least 1", p);
  if (typeof s !== "number" || !Number.isInteger(s) || s < 1 || s > MAX_PAGE_SIZE) {
    throw invalid("pageSize", `must be an integer from 1 to ${MAX_PAGE_SIZE}`, s);
  }
  return { page: p, pageSize: s };
}

/** What a keyset cursor holds: the query it belongs to, the next page number and the last row's keys. */
export interface CursorState {
  query: string;
  page: number;
  keys: KeyAt[];
  tie: (string | number)[];
}

/**
 * A short digest of what defines a query's order and set (filter, sort, scope).
 *
 * @example
 * queryDigest(["runs", "default", null]);
 */
export function queryDigest(parts: unknown[]): string {
  // Tagged JSON: NaN, Infinity and null stay apart (plain JSON writes all three as null).
  return sha256Hex(encodeJson(parts)).slice(0, 16);
}

/**
 * A cursor as an opaque URL-safe string.
 *
 * @example
 * encodeCursor({ query: digest, page: 2, keys: [{ p: 0.9 }], tie: ["run42"] });
 */
export function encodeCursor(state: CursorState): string {
  return Buffer.from(
    encodeJson({ v: 1, q: state.query, p: state.page, k: state.keys, t: state.tie }),
  ).toString("base64url");
}

/**
 * Reads a cursor; `INVALID_ARGUMENT` when it is malformed or belongs to another query.
 *
 * @example
 * decodeCursor(page.nextCursor!, digest).page; // 2
 */
export function decodeCursor(cursor: string, query: string): CursorState {
  let raw: { v?: unknown; q?: unknown; p?: unknown; k?: unknown; t?: unknown };
  try {
    raw = decodeJson(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid("cursor", "must be a nextCursor returned by a search", cursor);
  }
  if (raw?.v !== 1 || typeof raw.p !== "number" || !Array.isArray(raw.k) || !Array.isArray(raw.t)) {
    throw invalid("cursor", "must be a nextCursor returned by a search", cursor);
  }
  if (raw.q !== query) {
    throw new LabbookError(
      "INVALID_ARGUMENT",
      "cursor: belongs to another query (filter, sort or experiment changed); start again without a cursor",
      {
        field: "cursor",
      },
    );
  }
  return { query, page: raw.p, keys: raw.k as KeyAt[], tie: raw.t as (string | number)[] };
}

/**
 * Totals of a page.
 *
 * @example
 * pagination(2, 50, 120); // { page: 2, pageSize: 50, totalPages: 3, totalResults: 120 }
 */
export function pagination(page: number, pageSize: number, total: number) {
  return { page, pageSize, totalPages: Math.ceil(total / pageSize), totalResults: total };
}
