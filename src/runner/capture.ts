import { invalid, LabbookError } from "../core/errors.js";
import type { RowInput } from "../core/types.js";
import type { LogArtifactOptions } from "../store/artifact-payload.js";
import type { RunHandle } from "../store/run-handle.js";
import type { SchemaBuilder } from "./infer-schema.js";
import type { Capture } from "./types.js";

/**
 * The {@link Capture} of one run over its {@link RunHandle}. It remembers every write it
 * started, so that the runner can wait for them (and fail the run on the first error) before
 * it ends the run, and describes what was logged into the execution's outputs schema.
 */
export class RunCapture implements Capture {
  readonly #handle: RunHandle;
  readonly #outputs: SchemaBuilder | null;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #log: string[] = [];
  #error: unknown = null;
  #closed = false;

  constructor(handle: RunHandle, outputs: SchemaBuilder | null) {
    this.#handle = handle;
    this.#outputs = outputs;
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#inFlight.add(p);
    p.then(
      () => this.#inFlight.delete(p),
      (e) => {
        this.#inFlight.delete(p);
        this.#error ??= e;
      },
    );
    return p;
  }

  #open(what: string): void {
    if (this.#closed) {
      throw new LabbookError(
        "FAILED_PRECONDITION",
        `capture.${what}: run ${this.#handle.runId} has ended (${this.#handle.status}); nothing more can be logged`,
        { field: "capture" },
      );
    }
  }

  metric(name: string, value: number, options: { step?: number } = {}): Promise<void> {
    this.#open("metric");
    this.#outputs?.observeAt(["metrics", String(name)], value);
    return this.#track(this.#handle.logMetric(name, value, options));
  }

  metrics(record: Record<string, number>, options: { step?: number } = {}): Promise<void> {
    this.#open("metrics");
    if (this.#outputs && record && typeof record === "object") {
      for (const [k, v] of Object.entries(record)) this.#outputs.observeAt(["metrics", k], v);
    }
    return this.#track(this.#handle.logMetrics(record, options));
  }

  params(values: Record<string, unknown>): Promise<void> {
    this.#open("params");
    return this.#track(this.#handle.logParams(values));
  }

  row(row: RowInput): Promise<void> {
    return this.rows([row]);
  }

  rows(rows: readonly RowInput[]): Promise<void> {
    this.#open("rows");
    if (this.#outputs && Array.isArray(rows)) {
      for (const r of rows.slice(0, 20)) {
        if (r && typeof r === "object" && r.scores) {
          for (const [k, v] of Object.entries(r.scores)) this.#outputs.observeAt(["scores", k], v);
        }
      }
    }
    return this.#track(this.#handle.logRows(rows));
  }

  artifact(name: string, value: unknown, options: LogArtifactOptions = {}) {
    this.#open("artifact");
    return this.#track(
      this.#handle.logArtifact(name, value, options).then((d) => {
        this.#outputs?.observeAt(["artifacts", d.name], { kind: d.kind, mediaType: d.mediaType });
        return d;
      }),
    );
  }

  data(name: string, value: unknown) {
    this.#open("data");
    const p = this.#handle.logData(name, value);
    this.#outputs?.observeAt(["data", String(name)], value);
    return this.#track(p);
  }

  log(text: string): void {
    this.#open("log");
    if (typeof text !== "string") throw invalid("capture.log", "must be text", text);
    this.#log.push(text.endsWith("\n") ? text : `${text}\n`);
  }

  /**
   * Waits for every write started, then stores the log: the run can end. Throws the first
   * error a write met (the run then fails).
   */
  async settle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    if (this.#error) throw this.#error;
    await this.writeLog();
  }

  /** Stores the log lines (if any) as the `log` artifact; no more capture calls after it. */
  async writeLog(): Promise<void> {
    this.#closed = true;
    if (this.#log.length === 0) return;
    const text = this.#log.join("");
    this.#log.length = 0;
    await this.#handle.logArtifact("log", text, { kind: "log", mediaType: "text/plain; charset=utf-8" });
  }

  /** Stops accepting calls (the run timed out or was cancelled). */
  close(): void {
    this.#closed = true;
  }
}
