/**
 * Brands of the runner's marker objects, in the global symbol registry: a `tag()`, a
 * `sample()` or an experiment made by one copy of labbook (the built package, say) is
 * recognised by another (the sources, or a second install), where `instanceof` would not.
 */
export const TAG_BRAND: unique symbol = Symbol.for("labbook.tag") as never;
export const SAMPLER_BRAND: unique symbol = Symbol.for("labbook.sampler") as never;
export const DISTRIBUTION_BRAND: unique symbol = Symbol.for("labbook.distribution") as never;
export const EXPERIMENT_BRAND: unique symbol = Symbol.for("labbook.experiment") as never;

/**
 * True when `value` carries `brand` (own or inherited).
 *
 * @example
 * hasBrand(tag(1), TAG_BRAND); // true
 */
export function hasBrand(value: unknown, brand: symbol): boolean {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}
