import type { MiddlewareHandler } from "hono";

/**
 * Lets at most `max` requests run their handler at once and queues the others in arrival
 * order (FIFO). With many connections in flight, interleaving every request's awaits
 * stretches the slowest ones; a short queue served in order keeps them near the mean (the
 * store answers one query at a time in this process anyway). Requests for which `exempt` is
 * true (uploads, whose handler lasts as long as the client sends) skip the queue; a streamed
 * download leaves it once its first bytes are ready. A handler holds its slot at most `holdMs`
 * (the request timeout), so handlers that never end cannot stop the server.
 *
 * @example
 * app.use("/api/v1/*", concurrencyLimit(4, 30_000, isUpload));
 */
export function concurrencyLimit(
  max: number,
  holdMs: number,
  exempt: (method: string, path: string) => boolean,
): MiddlewareHandler {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return async (c, next) => {
    if (exempt(c.req.method, c.req.path)) return next();
    if (running < max) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    // a handler that never ends (the request already answered 504) gives its slot back
    let held = true;
    const done = () => {
      if (held) {
        held = false;
        release();
      }
    };
    const timer = setTimeout(done, holdMs);
    try {
      await next();
    } finally {
      clearTimeout(timer);
      done();
    }
  };
}
