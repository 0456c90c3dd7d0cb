import { canonicalJson } from "../core/canonical.js";
import { invalid } from "../core/errors.js";
import { RUN_STATUSES, type RunStatus } from "../core/types.js";
import { normalizeTags } from "../core/validate.js";
import type { Run } from "./run.js";
import type { RunFilter } from "./types.js";

const FIELDS = ["status", "tags", "params", "metrics", "derived"] as const;

/** A compiled {@link RunFilter}: true when a run meets every criterion. */
export type RunPredicate = (run: Run) => boolean;

/**
 * Checks a filter and compiles it to a predicate. Errors name the field: an unknown criterion,
 * an unknown status, a namespace that is not a record.
 *
 * @example
 * const keep = compileFilter({ status: "success", params: { lr: 0.1 }, metrics: { acc: (v) => v > 0.9 } });
 * runs.filter(keep);
 */
export function compileFilter(criteria: RunFilter): RunPredicate {
  if (criteria === null || typeof criteria !== "object" || Array.isArray(criteria)) {
    throw invalid("filter", "must be an object of status, tags, params, metrics, derived", criteria);
  }
  const unknown = Object.keys(criteria).find((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown !== undefined) {
    throw invalid(`filter.${unknown}`, `is not a filter field (${FIELDS.join(", ")})`);
  }
  const tests: RunPredicate[] = [];
  if (criteria.status !== undefined) tests.push(statusTest(criteria.status));
  if (criteria.tags !== undefined) tests.push(tagsTest(criteria.tags));
  if (criteria.params !== undefined) tests.push(namespaceTest("params", criteria.params, paramValue));
  if (criteria.metrics !== undefined) {
    tests.push(namespaceTest("metrics", criteria.metrics, (run, key) => own(run.metrics, key)));
  }
  if (criteria.derived !== undefined) {
    tests.push(namespaceTest("derived", criteria.derived, (run, key) => own(run.derived, key)));
  }
  return (run) => tests.every((t) => t(run));
}

function statusTest(status: RunStatus | readonly RunStatus[]): RunPredicate {
  const wanted = new Set<string>(typeof status === "string" ? [status] : status);
  for (const s of wanted) {
    if (!(RUN_STATUSES as readonly string[]).includes(s)) {
      throw invalid("filter.status", `must be one of ${RUN_STATUSES.join(", ")}`, s);
    }
  }
  return (run) => wanted.has(run.status);
}

function tagsTest(tags: RunFilter["tags"]): RunPredicate {
  const isList = Array.isArray(tags);
  const wanted = Object.entries(normalizeTags(tags, "filter.tags"));
  return (run) => wanted.every(([k, v]) => Object.hasOwn(run.tags, k) && (isList || run.tags[k] === v));
}

type Lookup = (run: Run, key: string) => { found: boolean; value: unknown };

function namespaceTest(ns: string, tests: Record<string, unknown>, lookup: Lookup): RunPredicate {
  if (tests === null || typeof tests !== "object" || Array.isArray(tests)) {
    throw invalid(`filter.${ns}`, "must be a record of field names to values or predicates", tests);
  }
  const checks = Object.entries(tests).map(([key, test]) => {
    if (typeof test === "function") {
      return (run: Run) => {
        const got = lookup(run, key);
        return got.found && Boolean(test(got.value));
      };
    }
    return (run: Run) => {
      const got = lookup(run, key);
      return got.found && sameValue(got.value, test);
    };
  });
  return (run) => checks.every((c) => c(run));
}

function own(o: Record<string, unknown>, key: string): { found: boolean; value: unknown } {
  return Object.hasOwn(o, key) ? { found: true, value: o[key] } : { found: false, value: undefined };
}

/** A param by key, or by dotted path into nested objects (`optimizer.lr`). */
export function paramValue(run: Run, path: string): { found: boolean; value: unknown } {
  return lookupPath(run.params, path);
}

/** A value by exact key, else by dotted path into nested objects. */
export function lookupPath(root: Record<string, unknown>, path: string): { found: boolean; value: unknown } {
  if (Object.hasOwn(root, path)) return { found: true, value: root[path] };
  let cur: unknown = root;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur, part)) {
      return { found: false, value: undefined };
    }
    cur = (cur as Record<string, unknown>)[part];
  }
  return { found: true, value: cur };
}

/** Equality of stored values: numbers by value (NaN equals NaN), arrays and objects by content. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  return canonicalJson(a) === canonicalJson(b);
}
