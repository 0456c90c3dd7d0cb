import type { Run } from "../types.ts";

/** A config: the runs sharing one params fingerprint (the same params over seeds). */
export interface Config {
  key: string;
  runs: Run[];
  values: number[];
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** Runs grouped by config, with each config's metric mean, population std, min and max over its seeds. */
export function configsOf(runs: Run[], metric: string): Config[] {
  const by = new Map<string, Run[]>();
  for (const r of runs) {
    const k = r.paramsFingerprint ?? JSON.stringify(r.params ?? {});
    by.set(k, [...(by.get(k) ?? []), r]);
  }
  const out: Config[] = [];
  for (const [key, rs] of by) {
    const values = rs
      .map((r) => r.metrics?.[metric])
      .filter((v): v is number => typeof v === "number" && Number.isFinite(v));
    if (values.length === 0) continue;
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    out.push({ key, runs: rs, values, mean, std, min: Math.min(...values), max: Math.max(...values) });
  }
  return out;
}
