/** Reads under way, by key, each with the change token it was started under. */
export type ReadsUnderWay<T> = Map<string, { token: string; value: Promise<T> }>;

/**
 * `read()`, unless a read of the same key under the same change token is under way: then that
 * read's result (or, should it fail, `read()` after all), so that concurrent searches under one
 * token send one query instead of one each.
 *
 * @example
 * const n = await readOnce(counting, key, token, () => countQuery());
 */
export async function readOnce<T>(
  under: ReadsUnderWay<T>,
  key: string,
  token: string,
  read: () => Promise<T>,
): Promise<T> {
  const pending = under.get(key);
  if (pending?.token === token) return pending.value.catch(read);
  const entry = { token, value: read() };
  under.set(key, entry);
  try {
    return await entry.value;
  } finally {
    if (under.get(key) === entry) under.delete(key);
  }
}
