import type { Progress } from "../../results/progress.js";

/** A progress bar whose `tick` takes a count. */
export interface CountProgress extends Progress {
  tick(n?: number): void;
  /** Sets the total once it is known (a bar with no total shows the count only). */
  setTotal(total: number): void;
}

/**
 * A one-line progress bar on stderr (`export runs [████····] 120/400`), redrawn at most ten times
 * a second and once at the end; nothing at all unless `enabled` and the stream is a TTY.
 *
 * @example
 * const bar = countProgress("import", runs.length, true);
 * for (const r of runs) { await work(r); bar.tick(); }
 * bar.done();
 */
export function countProgress(
  label: string,
  total: number | null,
  enabled: boolean,
  stream: NodeJS.WriteStream = process.stderr,
): CountProgress {
  if (!enabled || !stream.isTTY) return { tick() {}, done() {}, setTotal() {} };
  let n = 0;
  let max = total;
  let last = 0;
  const width = 30;
  const draw = () => {
    last = Date.now();
    if (max === null || max <= 0) {
      stream.write(`\r${label} ${n.toLocaleString("en-US")}`);
      return;
    }
    const filled = Math.min(width, Math.round((n / max) * width));
    stream.write(`\r${label} [${"█".repeat(filled)}${"·".repeat(width - filled)}] ${n}/${max}`);
  };
  draw();
  return {
    tick(k = 1) {
      n += k;
      if (Date.now() - last >= 100) draw();
    },
    setTotal(t) {
      max = t;
    },
    done() {
      draw();
      stream.write("\n");
    },
  };
}

/** A bar that draws nothing. */
export const NO_PROGRESS: CountProgress = { tick() {}, done() {}, setTotal() {} };
