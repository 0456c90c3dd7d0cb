import { invalid } from "../core/errors.js";
import { checkKeys, type KnownKeys } from "../core/known-keys.js";
import { checkExperimentName, checkVersion, normalizeTags } from "../core/validate.js";
import { EXPERIMENT_BRAND, hasBrand } from "./brand.js";
import { isSampler } from "./sampler.js";
import type { Experiment, ExperimentInput, Versioning } from "./types.js";

const VERSIONING: readonly Versioning[] = ["keep", "bump-patch", "bump-minor", "bump-major"];

const INPUT_KEYS = {
  name: true,
  version: true,
  description: true,
  metadata: true,
  params: true,
  seeds: true,
  tags: true,
  context: true,
  run: true,
  versioning: true,
  schema: true,
  module: true,
  exportName: true,
} as const satisfies KnownKeys<ExperimentInput>;
/** A defined experiment given again (`{ ...experiment, module }`) carries its `kind` too. */
const KEYS = { ...INPUT_KEYS, kind: true } as const;

/** The seeds of an experiment: a list, or `n` for `0..n-1`; default `[0]`. */
export function seedList(seeds: ExperimentInput["seeds"]): number[] {
  if (seeds === undefined) return [0];
  if (typeof seeds === "number") {
    if (!Number.isSafeInteger(seeds) || seeds < 1)
      throw invalid("seeds", "a count must be a whole number >= 1", seeds);
    return Array.from({ length: seeds }, (_, i) => i);
  }
  if (!Array.isArray(seeds) || seeds.length === 0) {
    throw invalid("seeds", "must be a non-empty list of whole numbers, or a count", seeds);
  }
  seeds.forEach((s, i) => {
    if (!Number.isSafeInteger(s)) throw invalid(`seeds[${i}]`, "must be a whole number", s);
  });
  if (new Set(seeds).size !== seeds.length) throw invalid("seeds", "must not repeat a seed", seeds);
  return [...seeds];
}

/**
 * Defines an experiment: its name, version, params (a grid, a list, or a seeded random
 * sampler), seeds, tags and the run function. Checks everything but the params' values,
 * which are checked when a sweep expands them.
 *
 * @example
 * export default defineExperiment({
 *   name: "logreg",
 *   params: { lr: tag([1e-2, 1e-3]), l2: [0, 0.1], model: [small, large] },
 *   seeds: 3,
 *   run: async ({ params, seed, capture }) => {
 *     await capture.metric("acc", train(params, seed));
 *   },
 * });
 */
export function defineExperiment<P = Record<string, unknown>>(input: ExperimentInput<P>): Experiment<P> {
  if (input === null || typeof input !== "object") throw invalid("experiment", "must be an object", input);
  checkKeys(input, KEYS, "defineExperiment");
  checkExperimentName(input.name);
  if (input.version !== undefined) checkVersion(input.version);
  if (typeof input.run !== "function")
    throw invalid("run", "must be a function ({ params, seed, capture, signal })", input.run);
  const versioning = input.versioning ?? "keep";
  if (!VERSIONING.includes(versioning))
    throw invalid("versioning", `must be one of ${VERSIONING.join(", ")}`, versioning);
  const params = input.params;
  if (
    params === null ||
    typeof params !== "object" ||
    (!isSampler(params) && !Array.isArray(params) && Object.getPrototypeOf(params) !== Object.prototype)
  ) {
    throw invalid("params", "must be a grid object, a list of param objects or sample({...})", params);
  }
  seedList(input.seeds);
  normalizeTags(input.tags);
  if (input.description !== undefined && typeof input.description !== "string") {
    throw invalid("description", "must be a string", input.description);
  }
  if (input.module !== undefined && typeof input.module !== "string" && !(input.module instanceof URL)) {
    throw invalid("module", "must be a file URL or path (import.meta.url)", input.module);
  }
  return Object.freeze({
    ...input,
    versioning,
    kind: "labbook.experiment" as const,
    [EXPERIMENT_BRAND]: true,
  });
}

/**
 * True for what {@link defineExperiment} returned (also across module copies).
 *
 * @example
 * const mod = await import("./sweep.js");
 * if (isExperiment(mod.default)) await runExperiment(mod.default);
 */
export function isExperiment(value: unknown): value is Experiment {
  return (
    value !== null &&
    typeof value === "object" &&
    (hasBrand(value, EXPERIMENT_BRAND) || (value as { kind?: unknown }).kind === "labbook.experiment") &&
    typeof (value as { run?: unknown }).run === "function"
  );
}
