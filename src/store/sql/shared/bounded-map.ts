/**
 * Sets `key` in a map used as a cache of at most `max` entries: the key becomes the newest, and
 * when the map is full its oldest entry (first in insertion order) is dropped.
 *
 * @example
 * setBounded(cache, digest, entry, 256);
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  if (map.size >= max) map.delete(map.keys().next().value as K);
  map.set(key, value);
}
