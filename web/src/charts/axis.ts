import { fmtValue } from "../format.ts";

/** Maps values of one field to [0, 1]: numbers linearly (or by log when they span decades), others by rank. */
export interface Axis {
  field: string;
  pos(v: unknown): number | null;
  ticks: { at: number; label: string }[];
}

export function makeAxis(field: string, values: unknown[]): Axis {
  const nums = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  const present = values.filter((v) => v !== undefined && v !== null);
  if (present.length > 0 && nums.length === present.length) {
    const distinct = [...new Set(nums)].sort((a, b) => a - b);
    const lo = distinct[0]!;
    const hi = distinct[distinct.length - 1]!;
    const log = lo > 0 && hi / lo >= 100;
    const f = (v: number) => (log ? Math.log10(v) : v);
    const span = f(hi) - f(lo) || 1;
    const pos = (v: unknown) =>
      typeof v === "number" && Number.isFinite(v) ? (hi === lo ? 0.5 : (f(v) - f(lo)) / span) : null;
    const shown =
      distinct.length <= 8
        ? distinct
        : [lo, ...[0.25, 0.5, 0.75].map((q) => (log ? 10 ** (f(lo) + q * span) : lo + q * span)), hi];
    return {
      field,
      pos,
      ticks: shown.map((v) => ({ at: pos(v) ?? 0, label: fmtValue(Number(v.toPrecision(3))) })),
    };
  }
  const cats = [...new Set(present.map((v) => fmtValue(v)))].sort();
  const pos = (v: unknown) => {
    if (v === undefined || v === null) return null;
    const i = cats.indexOf(fmtValue(v));
    return i < 0 ? null : cats.length === 1 ? 0.5 : i / (cats.length - 1);
  };
  return {
    field,
    pos,
    ticks: cats.map((c, i) => ({ at: cats.length === 1 ? 0.5 : i / (cats.length - 1), label: c })),
  };
}

/** A colour from blue (0) to orange (1). */
export function ramp(t: number): string {
  const x = Math.max(0, Math.min(1, t));
  return `hsl(${Math.round(220 - 190 * x)} 75% 50%)`;
}
