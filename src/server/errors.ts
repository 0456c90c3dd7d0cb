import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import { type ErrorCode, LabbookError } from "../core/errors.js";

/**
 * The one table from error codes to HTTP statuses. Nothing else in labbook knows about
 * HTTP statuses; the remote store reads the code back from the body, never the status.
 *
 * @example
 * HTTP_STATUS.NOT_FOUND; // 404
 */
export const HTTP_STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  FAILED_PRECONDITION: 409,
  PAYLOAD_TOO_LARGE: 413,
  CANCELLED: 499 as ContentfulStatusCode,
  INTERNAL: 500,
  UNSUPPORTED_VERSION: 503,
  UNAVAILABLE: 503,
  TIMEOUT: 504,
};

/** The JSON body of every error response: `{ "error": { code, message, details? } }`. */
export interface ErrorBody {
  error: ReturnType<LabbookError["toJSON"]>;
}

/**
 * Turns anything thrown into a LabbookError safe to send: LabbookErrors keep their code,
 * message and details (never a stack or a cause); anything else becomes `INTERNAL` with a
 * generic message, and is passed to `log` (the server's console) instead of the client.
 *
 * @example
 * const e = toSafeError(new TypeError("x"), () => undefined); // INTERNAL "internal error"
 */
export function toSafeError(e: unknown, log: (e: unknown) => void): LabbookError {
  if (e instanceof LabbookError) return e;
  if (e instanceof HTTPException && e.status < 500) {
    const code = (Object.keys(HTTP_STATUS) as ErrorCode[]).find((k) => HTTP_STATUS[k] === e.status);
    if (code) return new LabbookError(code, e.message || `HTTP ${e.status}`);
  }
  log(e);
  return new LabbookError("INTERNAL", "internal error; the server's log has the details");
}

/** The response for an error: its status from {@link HTTP_STATUS} and the JSON error body. */
export function errorResponse(e: LabbookError): Response {
  const body: ErrorBody = { error: e.toJSON() };
  return new Response(JSON.stringify(body), {
    status: HTTP_STATUS[e.code],
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

/** A path as labbook writes field names: `rows[0].scores.x`. */
export function fieldPath(path: readonly PropertyKey[], prefix = ""): string {
  let out = prefix;
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || "(body)";
}

type Issue = ZodError["issues"][number];

/** The most specific issue: inside a union, the branch that went deepest (tag branches aside). */
function deepest(issue: Issue, base: readonly PropertyKey[]): { issue: Issue; path: PropertyKey[] } {
  const path = [...base, ...issue.path];
  if (issue.code !== "invalid_union" || !("errors" in issue) || issue.errors.length === 0) {
    return { issue, path };
  }
  let best: { issue: Issue; path: PropertyKey[] } = { issue, path };
  const expected = new Set<string>();
  for (const branch of issue.errors) {
    for (const inner of branch) {
      const found = deepest(inner as Issue, path);
      if (found.path.some((p) => typeof p === "string" && p.startsWith("$"))) continue;
      if (found.path.length > best.path.length) best = found;
      if (found.path.length === path.length && found.issue.code === "invalid_type") {
        expected.add(String((found.issue as { expected?: unknown }).expected));
      }
    }
  }
  if (best.issue === issue && expected.size > 0) {
    return { issue: { ...issue, message: `Invalid input: expected ${[...expected].join(" | ")}` }, path };
  }
  return best;
}

/**
 * A request that failed its schema as an `INVALID_ARGUMENT` error naming the field
 * (`rows[0].datapointId`), the rule and where it was (`body`, `query`, `path`).
 */
export function fromZodError(error: ZodError, where: string): LabbookError {
  const first = error.issues[0];
  if (!first) return new LabbookError("INVALID_ARGUMENT", `${where}: invalid`);
  const { issue, path } = deepest(first, []);
  // An unknown key is named itself (`rows[0].scorez`), not the object that holds it.
  const field = fieldPath(issue.code === "unrecognized_keys" ? [...path, String(issue.keys[0])] : path);
  return new LabbookError("INVALID_ARGUMENT", `${field}: ${issue.message} (in the request ${where})`, {
    field,
    details: { in: where, issues: error.issues.length },
  });
}
