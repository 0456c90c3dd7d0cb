import { randomUUID } from "node:crypto";

/**
 * A random run id: 32 lowercase hex characters, the first 12 the creation time in milliseconds
 * (as in UUIDv7), the other 20 random (80 bits). Ids of runs created one after another are then
 * near each other in the store's id index: a new run updates the same index page as the last,
 * not a random one.
 *
 * @example
 * randomRunId(); // "019ab3c2f1e84d0f6a1c9e2b7d3f5a08"
 */
export function randomRunId(): string {
  // xxxxxxxx-xxxx-Vxxx-yxxx-xxxxxxxxxxxx: 20 of its random hex digits (not V, the version).
  const u = randomUUID();
  const time = Date.now().toString(16).padStart(12, "0").slice(-12);
  return time + u.slice(0, 8) + u.slice(9, 13) + u.slice(15, 18) + u.slice(24, 29);
}

/** Run ids are 1-64 of letters, digits, `_` and `-`. */
export const RUN_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** Milliseconds since the epoch to ISO text (null stays null). */
export function isoOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}
