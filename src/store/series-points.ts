import { invalid } from "../core/errors.js";

/** The largest `maxPoints` of `Store.downsampleSeries`. */
export const MAX_SERIES_POINTS = 100_000;

/**
 * Checks the `maxPoints` of a downsampled series: a whole number from 2 to
 * {@link MAX_SERIES_POINTS}; `INVALID_ARGUMENT` naming `maxPoints` otherwise.
 *
 * @example
 * checkMaxPoints(1000); // 1000
 */
export function checkMaxPoints(maxPoints: unknown): number {
  if (typeof maxPoints !== "number" || !Number.isInteger(maxPoints) || maxPoints < 2) {
    throw invalid("maxPoints", "must be a whole number >= 2", maxPoints);
  }
  if (maxPoints > MAX_SERIES_POINTS) {
    throw invalid("maxPoints", `must be at most ${MAX_SERIES_POINTS}`, maxPoints);
  }
  return maxPoints;
}
