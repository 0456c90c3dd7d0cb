/**
 * One shared, unreferenced timer for every run handle with buffered entries, instead of a
 * timer per run: creating and clearing a timer for each of thousands of short runs cost more
 * than the rest of the handle. Each waiting handle is flushed once its deadline has passed
 * (checked every {@link TICK_MS}); the timer stops when nothing waits.
 */
const TICK_MS = 100;

const waiting = new Map<object, { dueAt: number; flush: () => void }>();
let timer: NodeJS.Timeout | null = null;

function tick() {
  if (waiting.size === 0) {
    if (timer) clearInterval(timer);
    timer = null;
    return;
  }
  const now = Date.now();
  for (const [key, w] of waiting) {
    if (w.dueAt > now) continue;
    waiting.delete(key);
    w.flush();
  }
}

/**
 * Calls `flush` once, at `dueAt` (or up to {@link TICK_MS} later), unless {@link unwatch} comes
 * first; a key already waiting keeps its first deadline.
 *
 * @example
 * watch(handle, Date.now() + 1000, () => void handle.flush());
 */
export function watch(key: object, dueAt: number, flush: () => void): void {
  if (waiting.has(key)) return;
  waiting.set(key, { dueAt, flush });
  if (!timer) {
    timer = setInterval(tick, TICK_MS);
    timer.unref();
  }
}

/**
 * Forgets a key's pending flush (its data was written another way).
 *
 * @example
 * unwatch(handle);
 */
export function unwatch(key: object): void {
  waiting.delete(key);
}
