import { likePieces } from "../../../query/like.js";

/**
 * A query `LIKE` pattern (see `query/like.ts`) as an SQL `LIKE` pattern escaped with a backslash
 * (`escape '\'`), for either database.
 *
 * @example
 * sqlLikePattern("50\\%%"); // "50\\%%"
 */
export function sqlLikePattern(pattern: string): string {
  return likePieces(pattern)
    .map((p) => (p.t === "any" ? "%" : p.t === "one" ? "_" : "%_\\".includes(p.c) ? `\\${p.c}` : p.c))
    .join("");
}

/**
 * The same pattern as an SQLite `GLOB` pattern (case-sensitive).
 *
 * @example
 * sqliteGlobPattern("llama%"); // "llama*"
 */
export function sqliteGlobPattern(pattern: string): string {
  return likePieces(pattern)
    .map((p) => (p.t === "any" ? "*" : p.t === "one" ? "?" : "*?[".includes(p.c) ? `[${p.c}]` : p.c))
    .join("");
}
