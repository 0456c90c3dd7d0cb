import semver from "semver";
import { setOwn } from "./codec.js";
import { invalid } from "./errors.js";
import type { TagsInput } from "./types.js";

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Experiment names: 1-128 of letters, digits, `_ . -`, starting with a letter or digit. */
export function checkExperimentName(name: unknown, field = "name"): string {
  if (typeof name !== "string" || !NAME_RE.test(name) || name.includes("..")) {
    throw invalid(
      field,
      "must be 1-128 letters, digits, '_', '.', '-' starting with a letter or digit",
      name,
    );
  }
  return name;
}

/** SemVer 2.0 version strings (`1.2.3`, `1.0.0-rc.1`). */
export function checkVersion(version: unknown, field = "version"): string {
  if (typeof version !== "string" || semver.valid(version) !== version) {
    throw invalid(field, "must be a SemVer version such as 1.2.0", version);
  }
  return version;
}

/** Splits `name` or `name:version`. */
export function parseExperimentRef(ref: unknown, field = "experiment"): { name: string; version?: string } {
  if (typeof ref !== "string" || ref.length === 0)
    throw invalid(field, "must be 'name' or 'name:version'", ref);
  const i = ref.indexOf(":");
  if (i < 0) return { name: checkExperimentName(ref, field) };
  return {
    name: checkExperimentName(ref.slice(0, i), field),
    version: checkVersion(ref.slice(i + 1), field),
  };
}

const ARTIFACT_NAME_RE = /^[A-Za-z0-9_.\-+=@ ]{1,200}$/;

/** Artifact and data names: no path separators, no `..`, nothing that could leave the run's folder. */
export function checkArtifactName(name: unknown, field = "name"): string {
  if (
    typeof name !== "string" ||
    !ARTIFACT_NAME_RE.test(name) ||
    name.includes("..") ||
    name.startsWith(".") ||
    name.trim() !== name
  ) {
    throw invalid(
      field,
      "must be 1-200 letters, digits, spaces or '_ . - + = @', without '/', '\\', '..' or a leading '.'",
      name,
    );
  }
  return name;
}

/** Metric and score names: 1-200 characters, no control characters, no lone surrogates. */
export function checkMetricName(name: unknown, field = "name"): string {
  if (
    typeof name !== "string" ||
    name.length === 0 ||
    name.length > 200 ||
    hasControlCharacter(name) ||
    !isWellFormed(name)
  ) {
    throw invalid(
      field,
      "must be a non-empty string of at most 200 characters, without control characters or lone surrogates",
      name,
    );
  }
  return name;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const nativeWellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;

/**
 * True when a string is valid Unicode: no lone surrogate (half of a UTF-16 pair), which the
 * database would store as U+FFFD.
 *
 * @example
 * isWellFormed("a\uD800"); // false
 */
export function isWellFormed(s: string): boolean {
  return nativeWellFormed ? nativeWellFormed.call(s) : !LONE_SURROGATE.test(s);
}

/**
 * A string kept as it is and searched by value (a datapoint id, a run name, a tag): valid
 * Unicode, non-empty unless `allowEmpty`.
 *
 * @example
 * checkText("q1", "rows[0].datapointId"); // "q1"
 */
export function checkText(value: unknown, field: string, allowEmpty = false): string {
  if (typeof value !== "string" || (!allowEmpty && value.length === 0)) {
    throw invalid(field, allowEmpty ? "must be a string" : "must be a non-empty string", value);
  }
  if (!isWellFormed(value)) {
    throw invalid(field, "must be valid Unicode (it holds a lone surrogate, half of a UTF-16 pair)", value);
  }
  return value;
}

/** Normalises tags to a key/value record; bare tags get the value `""`. */
export function normalizeTags(tags: TagsInput | undefined, field = "tags"): Record<string, string> {
  if (tags === undefined || tags === null) return {};
  const out: Record<string, string> = {};
  if (Array.isArray(tags)) {
    tags.forEach((t, i) => {
      setOwn(out, checkText(t, `${field}[${i}]`), "");
    });
    return out;
  }
  if (typeof tags !== "object")
    throw invalid(field, "must be a list of strings or a record of strings", tags);
  for (const [k, v] of Object.entries(tags)) {
    if (k.length === 0) throw invalid(field, "keys must be non-empty", k);
    checkText(k, field);
    setOwn(out, k, checkText(v, `${field}.${k}`, true));
  }
  return out;
}

/**
 * A caller's time (milliseconds since the epoch, an ISO 8601 string or a `Date`) as milliseconds.
 *
 * @example
 * checkTime("2024-01-02T03:04:05Z", "startedAt"); // 1704164645000
 */
export function checkTime(value: unknown, field: string): number {
  const ms =
    typeof value === "number"
      ? value
      : typeof value === "string"
        ? Date.parse(value)
        : value instanceof Date
          ? value.getTime()
          : Number.NaN;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    throw invalid(field, "must be a time: milliseconds since the epoch, an ISO 8601 string or a Date", value);
  }
  return Math.round(ms);
}

/** A metric or score number: any number, NaN and infinities included. */
export function checkNumber(value: unknown, field: string): number {
  if (typeof value !== "number") throw invalid(field, "must be a number (NaN and Infinity allowed)", value);
  return value;
}

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 0x20) return true;
  return false;
}
