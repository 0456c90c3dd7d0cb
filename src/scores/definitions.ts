import { invalid } from "../core/errors.js";
import { checkKeys, type KnownKeys } from "../core/known-keys.js";
import { checkMetricName } from "../core/validate.js";

/** How a score is read: `range` (numbers; booleans as 0/1) or `rubric` (categories). */
export type ScoreKind = "range" | "rubric";
/** Which way is better. */
export type MetricDirection = "higher" | "lower";

/**
 * When a row passes a metric: a `range` value within `[min, max]` (NaN never passes); a
 * boolean (or 0/1) value equal to `passWhen`; a `rubric` category among `passingCategories`.
 */
export interface MetricThreshold {
  min?: number;
  max?: number;
  passWhen?: boolean;
  passingCategories?: string[];
}

export interface MetricDefinitionInput {
  /** The score name the definition applies to. */
  name: string;
  kind: ScoreKind;
  /** Default `higher`. */
  direction?: MetricDirection;
  threshold?: MetricThreshold;
  /** The categories of a rubric, in display order. */
  categories?: string[];
}

/** A stored metric definition of one experiment version. */
export interface MetricDefinition {
  experimentId: string;
  name: string;
  kind: ScoreKind;
  direction: MetricDirection;
  threshold: MetricThreshold | null;
  categories: string[] | null;
}

const THRESHOLD_KEYS = {
  min: true,
  max: true,
  passWhen: true,
  passingCategories: true,
} as const satisfies KnownKeys<MetricThreshold>;
const DEFINITION_KEYS = {
  name: true,
  kind: true,
  direction: true,
  threshold: true,
  categories: true,
} as const satisfies KnownKeys<MetricDefinitionInput>;

function checkStrings(v: unknown, field: string): string[] {
  if (!Array.isArray(v) || v.some((s) => typeof s !== "string" || s.length === 0)) {
    throw invalid(field, "must be an array of non-empty strings", v);
  }
  if (new Set(v).size !== v.length) throw invalid(field, "must not repeat a category", v);
  return [...v];
}

function checkThreshold(t: unknown, kind: ScoreKind, categories: string[] | null): MetricThreshold | null {
  if (t === undefined || t === null) return null;
  if (typeof t !== "object" || Array.isArray(t)) throw invalid("threshold", "must be an object", t);
  checkKeys(t, THRESHOLD_KEYS, "a threshold", "threshold.");
  const { min, max, passWhen, passingCategories } = t as MetricThreshold;
  const out: MetricThreshold = {};
  for (const [k, v] of [
    ["min", min],
    ["max", max],
  ] as const) {
    if (v === undefined) continue;
    if (typeof v !== "number" || Number.isNaN(v)) throw invalid(`threshold.${k}`, "must be a number", v);
    if (kind !== "range") throw invalid(`threshold.${k}`, "applies to range metrics only", kind);
    out[k] = v;
  }
  if (out.min !== undefined && out.max !== undefined && out.min > out.max) {
    throw invalid("threshold", `min (${out.min}) must not exceed max (${out.max})`);
  }
  if (passWhen !== undefined) {
    if (typeof passWhen !== "boolean") throw invalid("threshold.passWhen", "must be true or false", passWhen);
    if (kind !== "range")
      throw invalid("threshold.passWhen", "applies to boolean (range) metrics only", kind);
    out.passWhen = passWhen;
  }
  if (passingCategories !== undefined) {
    if (kind !== "rubric") {
      throw invalid("threshold.passingCategories", "applies to rubric metrics only", kind);
    }
    out.passingCategories = checkStrings(passingCategories, "threshold.passingCategories");
    const extra = categories && out.passingCategories.find((c) => !categories.includes(c));
    if (extra) throw invalid("threshold.passingCategories", "must be among the categories", extra);
  }
  return Object.keys(out).length > 0 ? out : null;
}

/**
 * Validates a metric definition (errors name the field, the rule and the value) and fills
 * its defaults.
 *
 * @example
 * checkMetricDefinition({ name: "acc", kind: "range", threshold: { min: 0.8 } });
 */
export function checkMetricDefinition(input: MetricDefinitionInput): Omit<MetricDefinition, "experimentId"> {
  if (input === null || typeof input !== "object") throw invalid("metric", "must be an object", input);
  checkKeys(input, DEFINITION_KEYS, "defineMetric");
  const name = checkMetricName(input.name);
  if (input.kind !== "range" && input.kind !== "rubric") {
    throw invalid("kind", 'must be "range" or "rubric"', input.kind);
  }
  const direction = input.direction ?? "higher";
  if (direction !== "higher" && direction !== "lower") {
    throw invalid("direction", 'must be "higher" or "lower"', input.direction);
  }
  let categories: string[] | null = null;
  if (input.categories !== undefined && input.categories !== null) {
    if (input.kind !== "rubric") throw invalid("categories", "apply to rubric metrics only", input.kind);
    categories = checkStrings(input.categories, "categories");
  }
  const threshold = checkThreshold(input.threshold, input.kind, categories);
  return { name, kind: input.kind, direction, threshold, categories };
}
