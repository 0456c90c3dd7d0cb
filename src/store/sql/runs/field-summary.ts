import { appendParamLeaves, flattenParams } from "../shared/encode.js";

/** At most this many distinct values per field in the catalog. */
export const CATALOG_VALUES = 100;

/** A field's value in one run, as the catalog sees it: `(type, num, text)`. */
export interface FieldLeaf {
  field: string;
  type: string;
  num: number | null;
  text: string | null;
}

/** The experiment version a run belongs to: field summaries are kept per experiment version. */
export interface SummaryScope {
  workspace: string;
  experimentName: string;
  experimentVersion: string;
}

/** Per field and type: the change in runs having it, and the range its values widen to. */
export interface TypeFigures {
  field: string;
  type: string;
  runs: number;
  numMin: number | null;
  numMax: number | null;
  textMin: string | null;
  textMax: string | null;
}

const view = new DataView(new ArrayBuffer(8));

/** 16 hex digits of a double whose text order is the numbers' order (-0 reads as 0). */
function numberKey(n: number): string {
  view.setFloat64(0, n === 0 ? 0 : n);
  let hi = view.getUint32(0);
  let lo = view.getUint32(4);
  if (hi & 0x80000000) {
    hi = ~hi >>> 0;
    lo = ~lo >>> 0;
  } else hi = (hi | 0x80000000) >>> 0;
  return hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
}

/**
 * A value's place in the catalog's order as text compared by code point: type, then number
 * (absent first), then text (absent first).
 *
 * @example
 * sortKey({ field: "params.lr", type: "number", num: 0.1, text: null }) < sortKey({ field: "params.lr", type: "number", num: 1, text: null }); // true
 */
export function sortKey(l: FieldLeaf): string {
  return `${l.type}\u0001${l.num === null ? "" : numberKey(l.num)}\u0001${l.text ?? ""}`;
}

/** Values the catalog lists (an array or object leaf is counted and typed, not listed). */
export const listed = (l: FieldLeaf): boolean => l.type !== "array" && l.type !== "object";

/** A string or a run time as a leaf (`null` when absent). */
export function textLeaf(field: string, v: string | null): FieldLeaf {
  return v === null
    ? { field, type: "null", num: null, text: null }
    : { field, type: "string", num: null, text: v };
}

export function timeLeaf(field: string, v: number | null): FieldLeaf {
  return v === null
    ? { field, type: "null", num: null, text: null }
    : { field, type: "number", num: Number(v), text: null };
}

/** A metric's value as a leaf (NaN is a number spelled `NaN`). */
export function metricLeaf(name: string, value: number | null, nan: number | boolean): FieldLeaf {
  return nan || value === null
    ? { field: `metrics.${name}`, type: "number", num: null, text: "NaN" }
    : { field: `metrics.${name}`, type: "number", num: Number(value), text: null };
}

/**
 * The columns of a run row the catalog lists from summaries (not `status`, which changes in
 * every run's life: the catalog counts it from the runs).
 */
export interface RunColumns {
  name: string | null;
  experiment_name: string;
  experiment_version: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  duration_ms: number | null;
}

export function runColumnLeaves(r: RunColumns): FieldLeaf[] {
  const n = (v: number | null) => (v === null ? null : Number(v));
  return [
    textLeaf("name", r.name),
    textLeaf("experiment", r.experiment_name),
    textLeaf("version", r.experiment_version),
    timeLeaf("created_at", n(r.created_at)),
    timeLeaf("started_at", n(r.started_at)),
    timeLeaf("finished_at", n(r.finished_at)),
    timeLeaf("duration_ms", n(r.duration_ms)),
  ];
}

/** Param leaves of decoded params (`params.<dotted path>`). */
export function paramLeaves(params: unknown): FieldLeaf[] {
  return flattenParams(params).map((l) => ({
    field: `params.${l.path}`,
    type: l.type,
    num: l.num,
    text: l.text,
  }));
}

/** Param leaves of params as stored (the run row's tagged JSON text). */
export function storedParamLeaves(text: string): FieldLeaf[] {
  const rows: unknown[][] = [];
  appendParamLeaves(text, 0, rows);
  return rows.map(([, path, type, num, text]) => ({
    field: `params.${path as string}`,
    type: type as string,
    num: num as number | null,
    text: text as string | null,
  }));
}

/** `tags.<key>` per tag, and `tags` (the keys) when the run has any. */
export function tagLeaves(tags: Record<string, string>): FieldLeaf[] {
  const out: FieldLeaf[] = [];
  for (const [k, v] of Object.entries(tags)) {
    out.push(textLeaf(`tags.${k}`, v), textLeaf("tags", k));
  }
  return out;
}

/**
 * Changes to the field summaries of one experiment version, gathered in memory: per field and
 * type the runs gained or lost and the range seen; per field the smallest distinct values seen
 * (at most {@link CATALOG_VALUES} + 1, so that a longer list is known to be cut).
 */
export class SummaryDelta {
  readonly figures = new Map<string, TypeFigures>();
  readonly values = new Map<string, Map<string, FieldLeaf>>();
  /** The figures by field, then type: found without building a key per leaf. */
  readonly #byField = new Map<string, Map<string, TypeFigures & { run: number }>>();
  /** Per field, once its list was cut to the smallest values: the largest kept (larger ones can be skipped). */
  readonly #cut = new Map<string, { key: string; leaf: FieldLeaf }>();
  /** The run {@link addRun} is adding (its leaves of a field and type count it once). */
  #run = 0;

  /** A leaf of a run: `runs` is +1 (a run gains the field), 0 (a new value of a field it has) or -1. */
  add(l: FieldLeaf, runs: -1 | 0 | 1): void {
    this.#add(l, runs, 0);
  }

  /** `run` > 0: the leaf's `runs` counts once per field and type for that run. */
  #add(l: FieldLeaf, runs: -1 | 0 | 1, run: number): void {
    let types = this.#byField.get(l.field);
    if (!types) {
      types = new Map();
      this.#byField.set(l.field, types);
    }
    let f = types.get(l.type);
    if (!f) {
      f = {
        field: l.field,
        type: l.type,
        runs: 0,
        numMin: null,
        numMax: null,
        textMin: null,
        textMax: null,
        run: 0,
      };
      types.set(l.type, f);
      this.figures.set(`${l.field}\u0000${l.type}`, f);
    }
    if (run === 0 || f.run !== run) f.runs += runs;
    f.run = run;
    if (runs < 0) return; // ranges and values only widen (see field-summaries.ts)
    if (l.type === "number" && l.num !== null) {
      if (f.numMin === null || l.num < f.numMin) f.numMin = l.num;
      if (f.numMax === null || l.num > f.numMax) f.numMax = l.num;
    } else if (l.type === "string" && l.text !== null) {
      if (f.textMin === null || byCodePoint(l.text, f.textMin) < 0) f.textMin = l.text;
      if (f.textMax === null || byCodePoint(l.text, f.textMax) > 0) f.textMax = l.text;
    }
    if (!listed(l)) return;
    const cut = this.#cut.get(l.field);
    if (cut !== undefined && aboveCut(l, cut)) return; // above the smallest values kept
    let vs = this.values.get(l.field);
    if (!vs) {
      vs = new Map();
      this.values.set(l.field, vs);
    }
    vs.set(sortKey(l), l);
    if (vs.size > 4 * (CATALOG_VALUES + 1)) {
      const kept = smallest(vs);
      this.values.set(l.field, kept);
      const key = [...kept.keys()].at(-1)!;
      this.#cut.set(l.field, { key, leaf: kept.get(key)! });
    }
  }

  /**
   * A run's leaves, gained (+1), lost (-1) or seen again (0): the runs of each field and type
   * change once however many leaves the run has of it (`tags` lists several keys).
   */
  addRun(leaves: readonly FieldLeaf[], runs: -1 | 0 | 1): void {
    const run = ++this.#run;
    for (const l of leaves) this.#add(l, runs, run);
  }

  /** A run's change from `before` to `after` (per field and type: gained, lost, or new values). */
  addChange(before: readonly FieldLeaf[], after: readonly FieldLeaf[]): void {
    const had = new Set(before.map((l) => `${l.field}\u0000${l.type}`));
    const has = new Set(after.map((l) => `${l.field}\u0000${l.type}`));
    const same = new Set(before.map((l) => `${l.field}\u0000${sortKey(l)}`));
    const seen = new Set<string>();
    for (const l of after) {
      const key = `${l.field}\u0000${l.type}`;
      const runs = had.has(key) || seen.has(key) ? 0 : 1;
      seen.add(key);
      if (runs === 0 && same.has(`${l.field}\u0000${sortKey(l)}`)) continue; // nothing new
      this.add(l, runs);
    }
    for (const l of before) {
      const key = `${l.field}\u0000${l.type}`;
      if (has.has(key) || seen.has(key)) continue;
      this.add(l, -1);
      seen.add(key);
    }
  }

  get empty(): boolean {
    return this.figures.size === 0;
  }

  /** The values to offer the store: per field its smallest {@link CATALOG_VALUES} + 1. */
  valueRows(): { key: string; leaf: FieldLeaf }[] {
    const out: { key: string; leaf: FieldLeaf }[] = [];
    for (const [field, vs] of this.values) {
      const kept = smallest(vs);
      this.values.set(field, kept);
      for (const [key, leaf] of kept) out.push({ key, leaf });
    }
    return out;
  }
}

/**
 * Summary deltas per experiment version: whole runs added (+1 each) to the delta of the
 * version they belong to.
 *
 * @example
 * const deltas = new ScopedDeltas();
 * deltas.addRuns(runs.values()); // RunLeaves of storedRunLeaves
 * for (const { scope, delta } of deltas.values()) yield* applySummarySteps(ctx, scope, delta);
 */
export class ScopedDeltas {
  readonly #byScope = new Map<string, { scope: SummaryScope; delta: SummaryDelta }>();

  addRuns(runs: Iterable<{ scope: SummaryScope; leaves: readonly FieldLeaf[] }>): void {
    for (const { scope, leaves } of runs) {
      const key = JSON.stringify([scope.workspace, scope.experimentName, scope.experimentVersion]);
      let d = this.#byScope.get(key);
      if (!d) {
        d = { scope, delta: new SummaryDelta() };
        this.#byScope.set(key, d);
      }
      d.delta.addRun(leaves, 1);
    }
  }

  values(): IterableIterator<{ scope: SummaryScope; delta: SummaryDelta }> {
    return this.#byScope.values();
  }
}

/** Text order by code point (the stores' binary order), not JS's UTF-16 order. */
export function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 units in code point order: surrogates (U+10000 and up) rank above U+E000-U+FFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/**
 * Whether a leaf's sort key is above a cut's: decided on the numbers when both are plain
 * numbers of the same type (the key orders them as numbers), on the keys otherwise.
 */
function aboveCut(l: FieldLeaf, cut: { key: string; leaf: FieldLeaf }): boolean {
  const c = cut.leaf;
  if (l.num !== null && c.num !== null && l.text === null && c.text === null && l.type === c.type) {
    if (l.num !== c.num) return l.num > c.num;
  }
  return byCodePoint(sortKey(l), cut.key) > 0;
}

function smallest(vs: Map<string, FieldLeaf>): Map<string, FieldLeaf> {
  if (vs.size <= CATALOG_VALUES + 1) return vs;
  const keys = [...vs.keys()].sort(byCodePoint).slice(0, CATALOG_VALUES + 1);
  return new Map(keys.map((k) => [k, vs.get(k)!]));
}
