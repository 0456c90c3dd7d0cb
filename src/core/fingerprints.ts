import { canonicalJson, canonicalTaggedJson, fingerprint, sha256Hex } from "./canonical.js";
import { toTaggedJson } from "./codec.js";

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
  return runFingerprintsOfTagged(toTaggedJson(params ?? {}), seed, context);
}

let nullFingerprint: string | undefined;

/** The fingerprint of a value, with that of `null` (no seed, no context) computed once. */
function fingerprintOrNull(value: unknown): string {
  if (value !== undefined && value !== null) return fingerprint(value);
  nullFingerprint ??= fingerprint(null);
  return nullFingerprint;
}

/**
 * {@link runFingerprints} with params already encoded by `toTaggedJson` (as the store has
 * them after validating), so they are not walked again.
 *
 * @example
 * runFingerprintsOfTagged(toTaggedJson({ lr: 0.1 }), 42, null).paramsFingerprint ===
 *   runFingerprints({ lr: 0.1 }, 42, null).paramsFingerprint // true
 */
export function runFingerprintsOfTagged(
  taggedParams: unknown,
  seed: unknown,
  context: unknown,
): RunFingerprints {
  return {
    paramsFingerprint: sha256Hex(canonicalTaggedJson(taggedParams)),
    seedFingerprint: fingerprintOrNull(seed),
    contextFingerprint: fingerprintOrNull(context),
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
