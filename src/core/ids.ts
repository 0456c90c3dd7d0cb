import { randomUUID } from "node:crypto";

/** A random run id: 32 lowercase hex characters. */
export function randomRunId(): string {
  return randomUUID().replace(/-/g, "");
}

/** Run ids are 1-64 of letters, digits, `_` and `-`. */
export const RUN_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** Milliseconds since the epoch to ISO text (null stays null). */
export function isoOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}
