import { invalid } from "../core/errors.js";
import { createRng } from "../stats/prng.js";
import { DISTRIBUTION_BRAND, hasBrand, SAMPLER_BRAND } from "./brand.js";
import { isPlainObject, isTagged, Tagged, untag } from "./tag.js";

/**
 * A seeded PRNG (mulberry32): numbers in [0, 1), the same sequence for the same seed.
 *
 * @example
 * const rng = seededRandom(42);
 * rng(); // 0.6011...
 */
export function seededRandom(seed: number): () => number {
  return createRng(seed);
}

/**
 * A distribution of one param of a random search: `draw(rng)` gives a value.
 *
 * @example
 * const coin = new Distribution((rng) => (rng() < 0.5 ? "heads" : "tails"));
 */
export class Distribution<T = unknown> {
  readonly draw: (rng: () => number) => T;
  constructor(draw: (rng: () => number) => T) {
    this.draw = draw;
  }
  /** The brand by which every copy of labbook recognises a distribution. */
  get [DISTRIBUTION_BRAND](): true {
    return true;
  }
}

function isDistribution(value: unknown): value is Distribution {
  return hasBrand(value, DISTRIBUTION_BRAND);
}

/**
 * Uniform in `[low, high)`.
 *
 * @example
 * sample({ count: 10, seed: 1, space: { dropout: uniform(0, 0.5) } });
 */
export function uniform(low: number, high: number): Distribution<number> {
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) {
    throw invalid("uniform", "needs finite low < high", [low, high]);
  }
  return new Distribution((rng) => low + (high - low) * rng());
}

/**
 * Log-uniform in `[low, high)`, both > 0 (learning rates).
 *
 * @example
 * sample({ count: 10, seed: 1, space: { lr: logUniform(1e-5, 1e-1) } });
 */
export function logUniform(low: number, high: number): Distribution<number> {
  if (!(low > 0 && high > low && Number.isFinite(high))) {
    throw invalid("logUniform", "needs 0 < low < high", [low, high]);
  }
  const a = Math.log(low);
  const b = Math.log(high);
  return new Distribution((rng) => Math.exp(a + (b - a) * rng()));
}

/**
 * A whole number in `[low, high]`.
 *
 * @example
 * sample({ count: 10, seed: 1, space: { depth: intBetween(1, 8) } });
 */
export function intBetween(low: number, high: number): Distribution<number> {
  if (!(Number.isSafeInteger(low) && Number.isSafeInteger(high) && low <= high)) {
    throw invalid("intBetween", "needs whole numbers low <= high", [low, high]);
  }
  return new Distribution((rng) => low + Math.floor(rng() * (high - low + 1)));
}

/**
 * One of the values (kept by identity: a shared sub-config stays shared).
 *
 * @example
 * sample({ count: 10, seed: 1, space: { model: choice([bert, gpt]) } });
 */
export function choice<T>(values: readonly T[]): Distribution<T> {
  if (!Array.isArray(values) || values.length === 0)
    throw invalid("choice", "needs a non-empty array", values);
  return new Distribution((rng) => values[Math.floor(rng() * values.length)] as T);
}

/**
 * A seeded random search: `count` param objects drawn from a space or a function (made by {@link sample}).
 *
 * @example
 * new Sampler({ count: 5, seed: 1, space: { lr: logUniform(1e-4, 1e-1) } }).draw();
 */
export class Sampler {
  readonly count: number;
  readonly seed: number;
  readonly space: Record<string, unknown> | ((rng: () => number, index: number) => Record<string, unknown>);
  constructor(options: SampleOptions) {
    if (!Number.isSafeInteger(options.count) || options.count < 1) {
      throw invalid("params.count", "must be a whole number >= 1", options.count);
    }
    const space = options.space;
    if (typeof space !== "function" && !isPlainObject(space)) {
      throw invalid(
        "params.space",
        "must be an object of distributions or a function (rng, index) => params",
        space,
      );
    }
    this.count = options.count;
    this.seed = options.seed ?? 0;
    this.space = space;
  }

  /** The brand by which every copy of labbook recognises a sampler (see {@link isSampler}). */
  get [SAMPLER_BRAND](): true {
    return true;
  }

  /** The `count` param objects, with the tags of their `tag()` params. */
  draw(): { params: Record<string, unknown>; tags: Record<string, string> }[] {
    const rng = seededRandom(this.seed);
    return Array.from({ length: this.count }, (_, i) => {
      const raw = typeof this.space === "function" ? this.space(rng, i) : drawSpace(this.space, rng);
      if (!isPlainObject(raw)) throw invalid(`params[${i}]`, "a sampler must give an object", raw);
      const tags: Record<string, string> = {};
      return { params: untag(raw, "", tags) as Record<string, unknown>, tags };
    });
  }
}

function drawSpace(space: Record<string, unknown>, rng: () => number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(space)) out[k] = drawValue(v, rng);
  return out;
}

function drawValue(v: unknown, rng: () => number): unknown {
  if (isTagged(v)) return new Tagged(drawValue(v.value, rng));
  if (isDistribution(v)) return v.draw(rng);
  if (isPlainObject(v) && containsDistribution(v)) return drawSpace(v, rng);
  return v;
}

function containsDistribution(v: unknown, open: Set<object> = new Set()): boolean {
  if (isDistribution(v)) return true;
  if (isTagged(v)) return containsDistribution(v.value, open);
  if (!isPlainObject(v) || open.has(v)) return false;
  open.add(v);
  const found = Object.values(v).some((x) => containsDistribution(x, open));
  open.delete(v);
  return found;
}

export interface SampleOptions {
  /** How many param objects to draw. */
  count: number;
  /** Default 0: the same seed draws the same configs. */
  seed?: number;
  /** An object of distributions (`uniform`, `logUniform`, `intBetween`, `choice`), fixed values and nested objects; or a function. */
  space: Record<string, unknown> | ((rng: () => number, index: number) => Record<string, unknown>);
}

/**
 * A seeded random search over a space, as the `params` of an experiment.
 *
 * @example
 * defineExperiment({
 *   name: "search",
 *   params: sample({ count: 20, seed: 7, space: { lr: logUniform(1e-5, 1e-1), depth: intBetween(1, 8) } }),
 *   run: async ({ params, capture }) => capture.metric("acc", train(params)),
 * });
 */
export function sample(options: SampleOptions): Sampler {
  return new Sampler(options);
}

/**
 * True for what {@link sample} returned, by any copy of labbook.
 *
 * @example
 * isSampler(sample({ count: 2, space: { x: uniform(0, 1) } })); // true
 */
export function isSampler(value: unknown): value is Sampler {
  return hasBrand(value, SAMPLER_BRAND);
}
