import { useMemo } from "preact/hooks";
import { runFieldValue } from "../../../src/query/run-value.ts";
import { get } from "../api.ts";
import { type ConfigLine, Parallel } from "../charts/parallel.tsx";
import { type ConfigPoint, Scatter } from "../charts/scatter.tsx";
import { Show } from "../components.tsx";
import { fmtNum, fmtValue } from "../format.ts";
import { href, navigate, useLocation } from "../router.ts";
import type { ExperimentSummary, Page, Run } from "../types.ts";
import { useData } from "../use-data.ts";
import { configsOf } from "./configs.ts";
import { paramPaths } from "./runs-view.ts";

/** Runs read for the plots, at most (newest first). */
export const SWEEP_RUN_LIMIT = 10_000;

async function loadRuns(experiment: string, signal: AbortSignal): Promise<{ runs: Run[]; total: number }> {
  const runs: Run[] = [];
  let cursor: string | null = null;
  let total = 0;
  do {
    const page: Page<Run> = await get<Page<Run>>(
      "/search/runs",
      {
        experiment,
        fields: "params,metrics",
        page_size: 1000,
        sort: "-created_at",
        cursor: cursor ?? undefined,
      },
      signal,
    );
    runs.push(...page.data);
    total = page.pagination.totalResults;
    cursor = page.nextCursor;
  } while (cursor && runs.length < SWEEP_RUN_LIMIT);
  return { runs, total };
}

/** Sweeps of one experiment: a param against a metric, and parallel coordinates, configs over seeds as mean and spread. */
export function SweepsPage() {
  const { query } = useLocation();
  const experiment = query.get("experiment") ?? "";
  const exps = useData(
    (s) => get<{ data: ExperimentSummary[] }>("/experiment-summaries", {}, s).then((r) => r.data),
    [],
  );
  const data = useData(
    (s) => (experiment ? loadRuns(experiment, s) : Promise.resolve({ runs: [] as Run[], total: 0 })),
    [experiment],
    5000,
  );
  // the fields come from the runs read (no field catalog needed): params that vary, metrics
  const { params, metrics } = useMemo(() => {
    const values = new Map<string, Set<string>>();
    const names = new Set<string>();
    for (const r of data.data?.runs ?? []) {
      for (const p of paramPaths(r.params ?? {})) {
        const f = `params.${p}`;
        if (!values.has(f)) values.set(f, new Set());
        values.get(f)!.add(JSON.stringify(runFieldValue(r, f) ?? null));
      }
      for (const m of Object.keys(r.metrics ?? {})) names.add(`metrics.${m}`);
    }
    return {
      params: [...values].filter(([, v]) => v.size > 1).map(([f]) => f),
      metrics: [...names].sort(),
    };
  }, [data.data]);
  const x = query.get("x") ?? params[0] ?? "";
  const y = query.get("y") ?? metrics[0] ?? "";
  const metric = y.replace(/^metrics\./, "");
  const set = (patch: Record<string, string>) =>
    navigate(href("/sweeps", { experiment, x, y, ...patch }), true);
  const configs = useMemo(() => configsOf(data.data?.runs ?? [], metric), [data.data, metric]);
  const points: ConfigPoint[] = configs.map((c) => ({
    x: runFieldValue(c.runs[0]!, x),
    ys: c.values,
    mean: c.mean,
    std: c.std,
  }));
  const fields = params.slice(0, 8);
  const lines: ConfigLine[] = configs.map((c) => ({
    params: Object.fromEntries(fields.map((f) => [f, runFieldValue(c.runs[0]!, f)])),
    mean: c.mean,
    min: c.min,
    max: c.max,
    n: c.values.length,
  }));
  const best = [...configs].sort((a, b) => b.mean - a.mean).slice(0, 10);
  return (
    <section>
      <h1>Sweeps</h1>
      <div class="toolbar">
        <label>
          Experiment
          <select
            value={experiment}
            onChange={(e) => navigate(href("/sweeps", { experiment: (e.target as HTMLSelectElement).value }))}
          >
            <option value="">choose…</option>
            {(exps.data ?? []).map((e) => (
              <option key={e.experimentId} value={e.experimentId}>
                {e.experimentId} ({e.runCount})
              </option>
            ))}
          </select>
        </label>
        {experiment && (
          <>
            <label>
              Param (x)
              <select value={x} onChange={(e) => set({ x: (e.target as HTMLSelectElement).value })}>
                {params.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </label>
            <label>
              Metric (y)
              <select value={y} onChange={(e) => set({ y: (e.target as HTMLSelectElement).value })}>
                {metrics.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            </label>
          </>
        )}
      </div>
      {experiment && (
        <Show loaded={data}>
          {(d) => (
            <>
              <p class="muted">
                {d.runs.length} of {d.total} runs{d.total > d.runs.length ? " (the newest)" : ""} in{" "}
                {configs.length} configs; points are a config's mean over its seeds, bars ± one standard
                deviation (population), faint dots single runs.
              </p>
              <div class="grid">
                <div class="card">
                  <h2>
                    {y} against {x}
                  </h2>
                  <Scatter points={points} xField={x} yField={y} />
                </div>
                <div class="card">
                  <h2>Parallel coordinates</h2>
                  <Parallel lines={lines} fields={fields} metric={y} />
                </div>
              </div>
              <h2>Best configs by mean {y}</h2>
              <div class="table-wrap">
                <table aria-label="Best configs">
                  <thead>
                    <tr>
                      {fields.map((f) => (
                        <th key={f}>{f}</th>
                      ))}
                      <th class="num">seeds</th>
                      <th class="num">mean ± std</th>
                      <th class="num">min – max</th>
                    </tr>
                  </thead>
                  <tbody>
                    {best.map((c) => (
                      <tr key={c.key}>
                        {fields.map((f) => (
                          <td key={f}>{fmtValue(runFieldValue(c.runs[0]!, f))}</td>
                        ))}
                        <td class="num">{c.values.length}</td>
                        <td class="num">{`${fmtNum(c.mean)} ± ${fmtNum(c.std)}`}</td>
                        <td class="num">{`${fmtNum(c.min)} – ${fmtNum(c.max)}`}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </Show>
      )}
    </section>
  );
}
