import type { MiddlewareHandler } from "hono";
import { LabbookError } from "../core/errors.js";

/**
 * Fails a request with `TIMEOUT` (504) when its handler has not produced a response within
 * `ms`. Streamed uploads (`isStreaming`) are bounded by the HTTP server's request timeout
 * instead; streamed downloads only need their first bytes within `ms`.
 */
export function requestTimeout(
  ms: number,
  isStreaming: (method: string, path: string) => boolean,
): MiddlewareHandler {
  return async (c, next) => {
    if (isStreaming(c.req.method, c.req.path)) return next();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new LabbookError("TIMEOUT", `request timed out after ${ms} ms`, { details: { timeoutMs: ms } }),
          ),
        ms,
      );
    });
    try {
      await Promise.race([next(), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Uploads: artifact PUTs and row scores imports. */
export function isUpload(method: string, path: string): boolean {
  return (
    (method === "PUT" && /\/artifacts\/[^/]+$/.test(path)) ||
    (method === "POST" && path.endsWith("/row-scores.jsonl"))
  );
}
