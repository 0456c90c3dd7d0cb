/**
 * Runs `fn` over `items` with at most `concurrency` at once, in order of start, until done or
 * `signal` aborts (items not started are left). The first error thrown by `fn` stops the pool
 * (`onError` is told, so the caller can cancel the others) and is rethrown at the end.
 *
 * @example
 * await runPool(runs, 4, signal, (r) => execute(r), () => controller.abort());
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal,
  fn: (item: T) => Promise<void>,
  onError: (e: unknown) => void = () => undefined,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async () => {
    while (!signal.aborted && failure === null && next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (e) {
        if (failure === null) {
          failure = { error: e };
          onError(e);
        }
      }
    }
  };
  const lanes = Math.max(1, Math.min(concurrency, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failure !== null) throw (failure as { error: unknown }).error;
}
