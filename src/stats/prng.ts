/**
 * A small seeded pseudo-random generator (mulberry32: 32-bit state, period 2^32), so that
 * every resampling test gives the same p-value and interval for the same seed.
 *
 * @example
 * const rnd = createRng(42);
 * rnd(); // a float in [0, 1), the same sequence for seed 42 every time
 */
export function createRng(seed: number): () => number {
  let a = (Number.isFinite(seed) ? Math.trunc(seed) : 0) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The default seed of every seeded statistic in labbook. */
export const DEFAULT_SEED = 20240611;
