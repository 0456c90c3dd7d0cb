import type { ColumnKind } from "./column-kind.js";
import type { ColumnSpill, SpillColumn } from "./column-spill.js";

/**
 * The spill columns of one namespace (`P:`, `p:`, `m:`...) by name, so that a row of the same
 * names as the last one builds no column key.
 *
 * @example
 * const metrics = new SpillColumns(spill, "m", "double");
 * metrics.put("acc", 0.9); // column "m:acc"
 */
export class SpillColumns {
  readonly #byName = new Map<string, SpillColumn>();
  constructor(
    readonly spill: ColumnSpill,
    readonly ns: string,
    readonly kind?: ColumnKind,
  ) {}

  put(name: string, v: unknown): void {
    let c = this.#byName.get(name);
    if (c === undefined) {
      c = this.spill.column(`${this.ns}:${name}`);
      if (this.kind) this.spill.declare(c.name, this.kind);
      this.#byName.set(name, c);
    }
    if (v !== undefined && v !== null) this.spill.put(c, v);
  }

  /**
   * Puts the leaves of a value under dotted names, as `flattenObject` does (arrays, typed
   * arrays, dates and empty objects are leaves).
   */
  putLeaves(prefix: string, key: string, v: unknown): void {
    const name = prefix === "" ? key : `${prefix}.${key}`;
    if (
      v !== null &&
      typeof v === "object" &&
      !Array.isArray(v) &&
      !ArrayBuffer.isView(v) &&
      !(v instanceof Date)
    ) {
      const o = v as Record<string, unknown>;
      let any = false;
      for (const k of Object.keys(o)) {
        any = true;
        this.putLeaves(name, k, o[k]);
      }
      if (any) return;
    }
    this.put(name, v);
  }
}
