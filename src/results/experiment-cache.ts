import type { ExperimentInfo } from "../core/types.js";
import type { Store } from "../store/types.js";

/**
 * Looks experiments up by `name:version` once per {@link Results} (and its slices and filters),
 * so that `run.experiment()` over many runs costs one store call per experiment.
 */
export class ExperimentCache {
  readonly #store: Store;
  readonly #byId = new Map<string, Promise<ExperimentInfo>>();

  constructor(store: Store) {
    this.#store = store;
  }

  /** The experiment `name:version`. `NOT_FOUND` when it does not exist. */
  get(experimentId: string): Promise<ExperimentInfo> {
    let found = this.#byId.get(experimentId);
    if (!found) {
      const i = experimentId.lastIndexOf(":");
      found = this.#store.getExperiment(experimentId.slice(0, i), experimentId.slice(i + 1));
      found.catch(() => this.#byId.delete(experimentId));
      this.#byId.set(experimentId, found);
    }
    return found;
  }
}
