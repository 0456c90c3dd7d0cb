/**
 * JSON for `--json` output: two-space indented, non-finite numbers as the strings `"NaN"`,
 * `"Infinity"`, `"-Infinity"` (JSON has no spelling for them), typed arrays as arrays.
 *
 * @example
 * jsonText({ loss: NaN }) // '{\n  "loss": "NaN"\n}'
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === "number" && !Number.isFinite(v)) return String(v);
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
        return Array.from(v as unknown as ArrayLike<number | bigint>, (x) =>
          typeof x === "bigint" ? String(x) : x,
        );
      }
      return v;
    },
    2,
  );
}
