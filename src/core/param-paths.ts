import { LabbookError } from "./errors.js";
import { isWellFormed } from "./validate.js";

function isBranch(v: unknown): v is Record<string, unknown> {
  return (
    v !== null && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v) && !(v instanceof Date)
  );
}

/** A key path as written: `a.b` for `{ a: { b } }`, `["a.b"]` for a key holding a dot. */
function spell(keys: readonly string[]): string {
  return keys
    .map((k, i) =>
      /^[^.[\]"]+$/.test(k) && isWellFormed(k) ? `${i === 0 ? "" : "."}${k}` : `[${JSON.stringify(k)}]`,
    )
    .join("");
}

/**
 * Checks params before they are stored: queries read them by dotted path (`params.a.b`), so two
 * leaves that flatten to one path (`{"a.b": 1, "a": {"b": 2}}`) would search one way and show
 * the other, and a key or string value with a lone surrogate would be stored as U+FFFD. Both
 * are `INVALID_ARGUMENT` errors naming the paths.
 *
 * @example
 * checkParamPaths({ opt: { lr: 0.1 } }); // fine
 * checkParamPaths({ "a.b": 1, a: { b: 2 } }); // throws: params: ["a.b"] and a.b both read as params.a.b
 */
export function checkParamPaths(params: Record<string, unknown>, field = "params"): void {
  const seen = new Map<string, string[]>();
  const walk = (value: unknown, keys: string[]): void => {
    if (isBranch(value)) {
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined) continue;
        if (!isWellFormed(k)) {
          throw new LabbookError(
            "INVALID_ARGUMENT",
            `${field}${spell([...keys, k]).replace(/^(?!\[)/, ".")}: the key must be valid Unicode (it holds a lone surrogate)`,
            { field },
          );
        }
        walk(v, [...keys, k]);
      }
      return;
    }
    const path = keys.join(".");
    if (typeof value === "string" && !isWellFormed(value)) {
      throw new LabbookError(
        "INVALID_ARGUMENT",
        `${field}.${path}: must be valid Unicode (it holds a lone surrogate, half of a UTF-16 pair)`,
        { field: `${field}.${path}` },
      );
    }
    const other = seen.get(path);
    if (other) {
      const a = `${field}${spell(other).replace(/^(?!\[)/, ".")}`;
      const b = `${field}${spell(keys).replace(/^(?!\[)/, ".")}`;
      throw new LabbookError(
        "INVALID_ARGUMENT",
        `${field}: ${a} and ${b} both read as ${field}.${path} in queries; rename one of them`,
        { field, details: { paths: [a, b], queriedAs: `${field}.${path}` } },
      );
    }
    seen.set(path, keys);
  };
  walk(params, []);
}
