import type { SweepProgress } from "./types.js";

/** Counts of a sweep, and the display that follows them. */
export class SweepTracker {
  readonly #started = Date.now();
  readonly #label: string;
  readonly #show: ((p: SweepProgress) => void) | null;
  readonly #lines: boolean;
  readonly #progress: boolean | ((p: SweepProgress) => void) | undefined;
  readonly #stream: NodeJS.WriteStream;
  #last = 0;
  total = 0;
  done = 0;
  failed = 0;
  cancelled = 0;
  skipped = 0;
  running = 0;
  /** Runs this launch executes (the base of the ETA). */
  toRun = 0;

  constructor(
    label: string,
    progress: boolean | ((p: SweepProgress) => void) | undefined,
    stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.#label = label;
    this.#stream = stream;
    this.#progress = progress;
    const enabled = progress ?? stream.isTTY === true;
    this.#show = typeof progress === "function" ? progress : enabled ? (p) => this.#render(p) : null;
    this.#lines = !stream.isTTY;
  }

  snapshot(): SweepProgress {
    const finished = this.done + this.failed + this.cancelled;
    const remaining = Math.max(0, this.total - finished - this.skipped);
    const elapsedMs = Date.now() - this.#started;
    const ranHere = finished;
    const left = Math.max(0, this.toRun - ranHere);
    const etaMs = ranHere > 0 ? Math.round((elapsedMs / ranHere) * left) : null;
    return {
      total: this.total,
      done: this.done,
      failed: this.failed,
      cancelled: this.cancelled,
      skipped: this.skipped,
      running: this.running,
      remaining,
      etaMs,
      elapsedMs,
    };
  }

  /** Tells the display (a callback every time; else throttled: 10 redraws a second on a TTY, a line every 2 s otherwise). */
  update(final = false): void {
    if (!this.#show) return;
    const now = Date.now();
    const callback = typeof this.#progress === "function";
    if (!final && !callback && now - this.#last < (this.#lines ? 2000 : 100)) return;
    this.#last = now;
    this.#show(this.snapshot());
    if (final && !this.#lines && typeof this.#progress !== "function") this.#stream.write("\n");
  }

  #render(p: SweepProgress): void {
    const finished = p.done + p.failed + p.cancelled + p.skipped;
    const text = progressText(this.#label, p);
    if (this.#lines) {
      this.#stream.write(`${text}\n`);
      return;
    }
    const width = 24;
    const filled = p.total === 0 ? width : Math.round((finished / p.total) * width);
    this.#stream.write(`\r\x1b[2K[${"█".repeat(filled)}${"·".repeat(width - filled)}] ${text}`);
  }
}

/**
 * The progress line, naming what each count counts.
 *
 * @example
 * progressText("grid:1.0.0", p); // "grid:1.0.0 24/24 done: 24 succeeded, 0 failed; 0 remaining, ETA 0:00"
 */
export function progressText(label: string, p: SweepProgress): string {
  const finished = p.done + p.failed + p.cancelled + p.skipped;
  const parts = [`${p.done} succeeded`, `${p.failed} failed`];
  if (p.cancelled) parts.push(`${p.cancelled} cancelled`);
  if (p.skipped) parts.push(`${p.skipped} skipped (stored before)`);
  return `${label} ${finished}/${p.total} done: ${parts.join(", ")}; ${p.remaining} remaining, ETA ${formatEta(p.etaMs)}`;
}

/** `1:05`, `1:02:03`, or `?` while unknown. */
export function formatEta(ms: number | null): string {
  if (ms === null) return "?";
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}
