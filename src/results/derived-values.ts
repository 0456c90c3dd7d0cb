import { describeValue, invalid, LabbookError } from "../core/errors.js";
import { checkMetricName } from "../core/validate.js";
import type { Run } from "./run.js";
import type { DerivedFn } from "./types.js";

/** Checks that `fns` is a list of functions. */
export function checkDerivedFns(fns: unknown, field: string): readonly DerivedFn[] {
  if (!Array.isArray(fns)) throw invalid(field, "must be an array of functions (run) => record", fns);
  fns.forEach((fn, i) => {
    if (typeof fn !== "function") throw invalid(`${field}[${i}]`, "must be a function (run) => record", fn);
  });
  return fns as readonly DerivedFn[];
}

/** Checks what a derived function returned: a record of named values. */
export function checkDerivedResult(out: unknown, field: string, run: Run): Record<string, unknown> {
  if (out === null || typeof out !== "object" || Array.isArray(out)) {
    throw invalid(field, `must return a record of named values (run ${run.runId})`, out);
  }
  for (const name of Object.keys(out)) checkMetricName(name, `${field}.${name}`);
  return out as Record<string, unknown>;
}

/** Every function's values for one run, merged in order (a later function wins a name). */
export async function deriveAsync(run: Run, fns: readonly DerivedFn[], field: string) {
  const values: Record<string, unknown> = {};
  for (const [i, fn] of fns.entries()) {
    Object.assign(values, checkDerivedResult(await fn(run), `${field}[${i}]`, run));
  }
  return values;
}

/** As {@link deriveAsync}, for functions that return their record at once. */
export function deriveSync(run: Run, fns: readonly DerivedFn[], field: string): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [i, fn] of fns.entries()) {
    const out = fn(run);
    if (out instanceof Promise) {
      out.catch(() => undefined);
      throw new LabbookError(
        "INVALID_ARGUMENT",
        `${field}[${i}]: returned a Promise; table() needs functions that return a record at once; received ${describeValue(out)}. Use await results.tableAsync({ derived }) for async functions`,
        { field: `${field}[${i}]` },
      );
    }
    Object.assign(values, checkDerivedResult(out, `${field}[${i}]`, run));
  }
  return values;
}
