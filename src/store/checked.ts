/**
 * Values already checked by the call that received them (a run prepared by `prepareRun`, the
 * metric entries and rows a run handle validated as they were logged), so that `writeRun`
 * does not walk them a second time. Anything else `writeRun` receives is checked whole.
 */
const checked = new WeakSet<object>();

/**
 * Marks a value as checked; returns it.
 *
 * @example
 * batch.metrics = markChecked(entries);
 */
export function markChecked<T extends object>(value: T): T {
  checked.add(value);
  return value;
}

/** True for a value {@link markChecked} marked. */
export function isChecked(value: object): boolean {
  return checked.has(value);
}
