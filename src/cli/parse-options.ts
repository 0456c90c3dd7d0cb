import { invalid } from "../core/errors.js";
import { RUN_STATUSES, type RunStatus } from "../core/types.js";
import { parseExperimentRef } from "../core/validate.js";
import type { Store } from "../store/types.js";

/** `--limit N`: a whole number >= 1. */
export function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw invalid("--limit", "must be a whole number >= 1", text);
  }
  return n;
}

/**
 * A number flag (`--max-drop 0.01`); an error names the flag and the text typed.
 *
 * @example
 * numberFlag("abc", "--max-drop"); // throws "--max-drop: expected a number; received \"abc\""
 */
export function numberFlag(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n)) throw invalid(flag, "expected a number", text);
  return n;
}

/** `--status S` or `--status a,b`: run statuses. */
export function parseStatuses(text: string | undefined): RunStatus[] | undefined {
  if (text === undefined) return undefined;
  const list = text.split(",").map((s) => s.trim());
  for (const s of list) {
    if (!(RUN_STATUSES as readonly string[]).includes(s)) {
      throw invalid("--status", `must be one of ${RUN_STATUSES.join(", ")} (comma-separated for several)`, s);
    }
  }
  return list as RunStatus[];
}

/**
 * `--experiment E` (`name` or `name:version`): checked to exist, so that a typo is a clear
 * `NOT_FOUND` rather than an empty listing.
 */
export async function checkExperimentOption(
  store: Store,
  ref: string | undefined,
): Promise<string | undefined> {
  if (ref === undefined) return undefined;
  const { name, version } = parseExperimentRef(ref, "--experiment");
  await store.getExperiment(name, version);
  return ref;
}
