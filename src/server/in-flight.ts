import type { MiddlewareHandler } from "hono";

/**
 * The request handlers still at work, so that a server closes its store only once they have
 * ended: a handler can outlive its response (a request answered 504 by the timeout, a client
 * gone mid-request) and would otherwise meet a closed store.
 *
 * @example
 * const work = inFlight();
 * app.use("*", work.track);
 * await work.settled(30_000);
 */
export interface InFlight {
  /** A middleware that counts its downstream handlers as at work until they end. */
  track: MiddlewareHandler;
  /** How many are at work now. */
  count(): number;
  /** Resolves once none is at work, or after `maxMs` (whichever comes first). */
  settled(maxMs: number): Promise<void>;
}

/** A new tracker of handlers at work (see {@link InFlight}). */
export function inFlight(): InFlight {
  const pending = new Set<Promise<unknown>>();
  return {
    track: async (_c, next) => {
      const work = next();
      pending.add(work);
      try {
        await work;
      } finally {
        pending.delete(work);
      }
    },
    count: () => pending.size,
    async settled(maxMs) {
      const until = Date.now() + maxMs;
      while (pending.size > 0 && Date.now() < until) {
        let timer: NodeJS.Timeout | undefined;
        const wait = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, until - Date.now());
        });
        await Promise.race([Promise.allSettled([...pending]), wait]);
        clearTimeout(timer);
      }
    },
  };
}
