import { ObjectGraphWriter } from "../core/object-graph.js";
import type { Store } from "../store/types.js";
import type { PlannedRun } from "./plan.js";

const FLUSH_LINES = 500;
const FLUSH_MS = 250;

/**
 * Streams the configs of an execution to its `objects.jsonl` record as runs are submitted:
 * each object once (children first), a sub-config shared by several runs referred to by id,
 * then one `run` line per run (`{"kind":"run","runId":..,"config":{"$ref":n},"seed":..,"tags":..}`).
 * Lines are written in batches (every 500 lines or 250 ms) and on {@link ConfigStream.close}.
 */
export class ConfigStream {
  readonly #store: Store;
  readonly #name: string;
  readonly #executionId: string;
  readonly #writer = new ObjectGraphWriter({ cycles: "error" });
  #buffer: string[] = [];
  #timer: NodeJS.Timeout | null = null;
  #chain: Promise<void> = Promise.resolve();
  #error: unknown = null;

  constructor(store: Store, experimentName: string, executionId: string) {
    this.#store = store;
    this.#name = experimentName;
    this.#executionId = executionId;
  }

  /** Records a run's config (as it is submitted). */
  submit(run: PlannedRun): void {
    const { lines, ref } = this.#writer.add(run.params, "params");
    for (const l of lines) this.#buffer.push(JSON.stringify(l));
    this.#buffer.push(
      JSON.stringify({ kind: "run", runId: run.runId, config: ref, seed: run.seed, tags: run.tags }),
    );
    if (this.#buffer.length >= FLUSH_LINES) this.#flush();
    else if (!this.#timer) {
      this.#timer = setTimeout(() => this.#flush(), FLUSH_MS);
      this.#timer.unref();
    }
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#buffer.length === 0) return;
    const lines = this.#buffer;
    this.#buffer = [];
    this.#chain = this.#chain.then(() =>
      this.#store.appendExecutionObjects(this.#name, this.#executionId, lines).catch((e) => {
        this.#error ??= e;
      }),
    );
  }

  /** Writes what is buffered; throws the first write error. */
  async close(): Promise<void> {
    this.#flush();
    await this.#chain;
    if (this.#error) throw this.#error;
  }
}
