import { canonicalJson, fingerprint, sha256Hex } from "./canonical.js";

/** The three fingerprints of a run. */
export interface RunFingerprints {
  paramsFingerprint: string;
  seedFingerprint: string;
  contextFingerprint: string;
}

/**
 * Fingerprints of a run's params, seed and context (anything else that decides
 * the outcome: data set version, code version...).
 *
 * @example
 * const fp = runFingerprints({ lr: 0.1 }, 42, { data: "v1" });
 */
export function runFingerprints(params: unknown, seed: unknown, context: unknown): RunFingerprints {
  return {
    paramsFingerprint: fingerprint(params ?? {}),
    seedFingerprint: fingerprint(seed ?? null),
    contextFingerprint: fingerprint(context ?? null),
  };
}

/**
 * A deterministic run id (32 hex characters) from the experiment id and the three
 * fingerprints: the same experiment, params, seed and context always give the
 * same id, so a relaunch finds what is done and a merge is idempotent.
 *
 * @example
 * deterministicRunId("sweep:1.0.0", runFingerprints({ lr: 0.1 }, 1, null));
 */
export function deterministicRunId(experimentId: string, fp: RunFingerprints): string {
  return sha256Hex(
    canonicalJson({
      experiment: experimentId,
      params: fp.paramsFingerprint,
      seed: fp.seedFingerprint,
      context: fp.contextFingerprint,
    }),
  ).slice(0, 32);
}
