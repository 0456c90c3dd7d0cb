import { useMemo, useState } from "preact/hooks";
import { runFieldValue } from "../../../src/query/run-value.ts";
import { api, enc, get } from "../api.ts";
import { type ChartLine, SeriesChart } from "../charts/series-chart.tsx";
import { ErrorLine, Show, StatusBadge } from "../components.tsx";
import { fmtNum, fmtP, fmtValue } from "../format.ts";
import { href, navigate, onLink, useLocation } from "../router.ts";
import type {
  CompareRuns,
  DownsampledSeries,
  GroupComparison,
  MetricComparison,
  Page,
  Row,
  Run,
} from "../types.ts";
import { useData } from "../use-data.ts";
import { MAX_POINTS } from "./run-detail.tsx";
import { paramPaths } from "./runs-view.ts";

const runLink = (r: Run) => (
  <a href={`/runs/${enc(r.runId)}`} onClick={onLink}>
    {r.name ?? r.runId.slice(0, 12)}
  </a>
);

function MetricsTable({ metrics }: { metrics: MetricComparison[] }) {
  return (
    <div class="table-wrap">
      <table aria-label="Metric comparison">
        <thead>
          <tr>
            <th>metric</th>
            <th class="num">old</th>
            <th class="num">new</th>
            <th class="num">delta</th>
            <th>CI of the mean delta</th>
            <th class="num">p-value</th>
            <th>test</th>
            <th class="num">effect size</th>
            <th class="num">improved</th>
            <th class="num">degraded</th>
            <th class="num">paired</th>
          </tr>
        </thead>
        <tbody>
          {metrics.map((m) => (
            <tr key={m.name} data-metric={m.name}>
              <td>
                {m.name} <span class="muted">({m.direction})</span>
              </td>
              <td class="num">{fmtNum(m.oldAggregate)}</td>
              <td class="num">{fmtNum(m.newAggregate)}</td>
              <td
                class={`num ${m.change === "improved" ? "better" : m.change === "degraded" ? "worse" : ""}`}
              >
                {fmtNum(m.delta)}
              </td>
              <td>
                {m.ci ? `[${fmtNum(m.ci.low)}, ${fmtNum(m.ci.high)}] (${Math.round(m.ci.level * 100)}%)` : ""}
              </td>
              <td class="num">{fmtP(m.test?.pValue)}</td>
              <td>{m.test?.name ?? ""}</td>
              <td class="num">{fmtNum(m.effectSize)}</td>
              <td class="num better">{m.improvedCount}</td>
              <td class="num worse">{m.degradedCount}</td>
              <td class="num">{m.foundCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The improved and degraded datapoints of a metric, with both runs' outputs and scores side by side. */
function Datapoints({ cmp, oldRun, newRun }: { cmp: CompareRuns; oldRun: Run; newRun: Run }) {
  const names = Object.keys(cmp.metrics);
  const [metric, setMetric] = useState(
    names.find((n) => (cmp.metrics[n]?.degradedCount ?? 0) > 0) ?? names[0] ?? "",
  );
  const m = cmp.metrics[metric];
  const ids = m ? [...m.degraded.slice(0, 25), ...m.improved.slice(0, 25)] : [];
  const rows = useData(
    async (s) => {
      if (ids.length === 0) return { old: new Map<string, Row>(), new: new Map<string, Row>() };
      const filter = `datapoint_id in (${ids.map((i) => JSON.stringify(i)).join(", ")})`;
      const load = async (runId: string) => {
        const page = await get<Page<Row>>(`/runs/${enc(runId)}/rows`, { filter, page_size: 200 }, s);
        const byId = new Map<string, Row>();
        for (const r of page.data) if (!byId.has(r.datapointId)) byId.set(r.datapointId, r);
        return byId;
      };
      const [o, n] = await Promise.all([load(oldRun.runId), load(newRun.runId)]);
      return { old: o, new: n };
    },
    [metric, oldRun.runId, newRun.runId],
  );
  if (!m) return null;
  return (
    <section aria-label="Changed datapoints">
      <h2>Changed datapoints</h2>
      <label>
        Metric
        <select value={metric} onChange={(e) => setMetric((e.target as HTMLSelectElement).value)}>
          {names.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>{" "}
      <span class="muted">
        {m.degradedCount} degraded, {m.improvedCount} improved (first 25 of each shown)
      </span>
      <Show loaded={rows}>
        {(r) => (
          <div class="table-wrap" style="margin-top:0.5rem">
            <table aria-label="Changed datapoints table">
              <thead>
                <tr>
                  <th>datapoint</th>
                  <th>change</th>
                  <th class="num">old {metric}</th>
                  <th class="num">new {metric}</th>
                  <th>old output</th>
                  <th>new output</th>
                </tr>
              </thead>
              <tbody>
                {ids.map((id, i) => {
                  const o = r.old.get(id);
                  const n = r.new.get(id);
                  const degraded = i < Math.min(25, m.degraded.length);
                  return (
                    <tr key={id}>
                      <td>{id}</td>
                      <td class={degraded ? "worse" : "better"}>{degraded ? "degraded" : "improved"}</td>
                      <td class="num">{fmtValue(o?.scores[metric])}</td>
                      <td class="num">{fmtValue(n?.scores[metric])}</td>
                      <td style="white-space:normal">{fmtValue(o?.output)}</td>
                      <td style="white-space:normal">{fmtValue(n?.output)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Show>
    </section>
  );
}

function TwoRuns({ oldRun, newRun, swap }: { oldRun: Run; newRun: Run; swap(): void }) {
  const cmp = useData(
    (s) => get<CompareRuns>(`/runs/${enc(newRun.runId)}/compare-with/${enc(oldRun.runId)}`, {}, s),
    [oldRun.runId, newRun.runId],
  );
  return (
    <section aria-label="Two runs">
      <p>
        old {runLink(oldRun)} → new {runLink(newRun)}{" "}
        <button type="button" onClick={swap}>
          Swap
        </button>
      </p>
      <Show loaded={cmp}>
        {(c) => (
          <>
            <p>
              Verdict:{" "}
              <span class={`verdict ${c.verdict}`} data-testid="verdict">
                {c.verdict}
              </span>{" "}
              <span class="muted">
                {c.commonDatapoints} common datapoints · {c.newOnly} only in new · {c.oldOnly} only in old
              </span>
            </p>
            {c.reasons.length > 0 && (
              <ul>
                {c.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            )}
            {Object.keys(c.metrics).length > 0 ? (
              <>
                <MetricsTable metrics={Object.values(c.metrics)} />
                <Datapoints cmp={c} oldRun={oldRun} newRun={newRun} />
              </>
            ) : (
              <p class="muted">No row scores in common to compare.</p>
            )}
          </>
        )}
      </Show>
    </section>
  );
}

/** Params that differ between runs (only those), metrics side by side, series overlaid. */
function ManyRuns({ runs }: { runs: Run[] }) {
  const differing = useMemo(() => {
    const paths = new Set<string>();
    for (const r of runs) for (const p of paramPaths(r.params ?? {})) paths.add(`params.${p}`);
    return [...paths].filter(
      (p) => new Set(runs.map((r) => JSON.stringify(runFieldValue(r, p) ?? null))).size > 1,
    );
  }, [runs]);
  const metricNames = [...new Set(runs.flatMap((r) => Object.keys(r.metrics ?? {})))].sort();
  const seriesNames = useData(
    async (s) => {
      const all = await Promise.all(
        runs.map((r) => get<{ data: string[] }>(`/runs/${enc(r.runId)}/series`, {}, s)),
      );
      return [...new Set(all.flatMap((a) => a.data))].sort();
    },
    [runs.map((r) => r.runId).join(",")],
  );
  const [chosen, setChosen] = useState<string | null>(null);
  const series = chosen ?? seriesNames.data?.[0] ?? null;
  const lines = useData(
    async (s) => {
      if (!series) return [] as ChartLine[];
      const out = await Promise.all(
        runs.map(async (r) => ({
          label: r.name ?? r.runId.slice(0, 10),
          series: await get<DownsampledSeries>(
            `/runs/${enc(r.runId)}/series/${enc(series)}`,
            { max_points: MAX_POINTS },
            s,
          ),
        })),
      );
      return out.filter((l) => l.series.totalPoints > 0);
    },
    [series, runs.map((r) => r.runId).join(",")],
  );
  return (
    <section aria-label="Runs side by side">
      <h2>Side by side</h2>
      <div class="table-wrap">
        <table aria-label="Runs side by side">
          <thead>
            <tr>
              <th>field</th>
              {runs.map((r) => (
                <th key={r.runId}>
                  {runLink(r)} <StatusBadge status={r.status} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {differing.length === 0 && (
              <tr>
                <td colSpan={runs.length + 1} class="muted">
                  Same params in every run.
                </td>
              </tr>
            )}
            {differing.map((p) => (
              <tr key={p} data-param={p}>
                <td>{p}</td>
                {runs.map((r) => (
                  <td key={r.runId}>{fmtValue(runFieldValue(r, p))}</td>
                ))}
              </tr>
            ))}
            {metricNames.map((m) => {
              const vals = runs.map((r) => r.metrics?.[m]);
              const finite = vals.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
              const best = finite.length ? Math.max(...finite) : undefined;
              return (
                <tr key={m}>
                  <td>metrics.{m}</td>
                  {vals.map((v, i) => (
                    <td
                      key={runs[i]!.runId}
                      class="num"
                      style={v === best && finite.length > 1 ? "font-weight:700" : undefined}
                    >
                      {fmtNum(v)}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {seriesNames.data && seriesNames.data.length > 0 && series && (
        <>
          <h2>Series overlaid</h2>
          <label>
            Series
            <select value={series} onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}>
              {seriesNames.data.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
          <Show loaded={lines}>
            {(ls) =>
              ls.length ? (
                <SeriesChart title={series} lines={ls} height={280} />
              ) : (
                <p class="muted">No data.</p>
              )
            }
          </Show>
        </>
      )}
    </section>
  );
}

/** Two groups of runs (two filters) compared per metric with Welch's t-test. */
function Groups({ a, b, metrics }: { a: string; b: string; metrics: string[] }) {
  const [fa, setA] = useState(a);
  const [fb, setB] = useState(b);
  const [ms, setMs] = useState(metrics.join(","));
  const res = useData(
    (s) =>
      a && b && metrics.length
        ? api<GroupComparison>("POST", "/compare-groups", {
            json: { filterA: a, filterB: b, options: { metrics } },
            signal: s,
          })
        : Promise.resolve(null),
    [a, b, metrics.join(",")],
  );
  return (
    <section aria-label="Two groups">
      <h2>Two groups (Welch's t-test)</h2>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(href("/compare", { a: fa, b: fb, metrics: ms }));
        }}
      >
        <label>
          Group A filter
          <input
            value={fa}
            size={36}
            onInput={(e) => setA((e.target as HTMLInputElement).value)}
            placeholder='params.model = "a"'
          />
        </label>
        <label>
          Group B filter
          <input
            value={fb}
            size={36}
            onInput={(e) => setB((e.target as HTMLInputElement).value)}
            placeholder='params.model = "b"'
          />
        </label>
        <label>
          Metrics
          <input
            value={ms}
            size={16}
            onInput={(e) => setMs((e.target as HTMLInputElement).value)}
            placeholder="acc,loss"
          />
        </label>
        <button type="submit" class="primary">
          Compare
        </button>
      </form>
      <ErrorLine error={res.error} />
      {res.data && (
        <>
          <p>
            Group A: {res.data.runsA} runs · Group B: {res.data.runsB} runs
          </p>
          <div class="table-wrap">
            <table aria-label="Group comparison">
              <thead>
                <tr>
                  <th>metric</th>
                  <th class="num">A mean ± std (n)</th>
                  <th class="num">B mean ± std (n)</th>
                  <th class="num">delta (A - B)</th>
                  <th>CI</th>
                  <th class="num">t</th>
                  <th class="num">df</th>
                  <th class="num">p-value</th>
                  <th>significant</th>
                </tr>
              </thead>
              <tbody>
                {Object.values(res.data.metrics).map((m) => (
                  <tr key={m.name} data-metric={m.name}>
                    <td>{m.name}</td>
                    <td class="num">{`${fmtNum(m.a.mean)} ± ${fmtNum(m.a.std)} (${m.a.n})`}</td>
                    <td class="num">{`${fmtNum(m.b.mean)} ± ${fmtNum(m.b.std)} (${m.b.n})`}</td>
                    <td class="num">{fmtNum(m.delta)}</td>
                    <td>{`[${fmtNum(m.ci.low)}, ${fmtNum(m.ci.high)}]`}</td>
                    <td class="num">{fmtNum(m.test.statistic)}</td>
                    <td class="num">{fmtNum(m.test.df)}</td>
                    <td class="num" data-testid={`p-${m.name}`}>
                      {fmtP(m.test.pValue)}
                    </td>
                    <td>{m.significant ? "yes" : "no"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** Compare: two runs (verdict, per-metric figures, changed datapoints), 2-20 runs side by side, two groups. */
export function ComparePage() {
  const { query } = useLocation();
  const ids = (query.get("runs") ?? "")
    .split(",")
    .filter((x) => x !== "")
    .slice(0, 20);
  const swapped = query.get("swap") === "1";
  const runs = useData(
    (s) => Promise.all(ids.map((id) => get<Run>(`/runs/${enc(id)}`, {}, s))),
    [ids.join(",")],
  );
  const groupMode = ids.length < 2;
  return (
    <section>
      <h1>Compare</h1>
      {groupMode ? (
        <>
          <p class="muted">
            Select 2 to 20 runs with the checkboxes of the{" "}
            <a href="/runs" onClick={onLink}>
              runs table
            </a>
            , or compare two groups of runs:
          </p>
          <Groups
            a={query.get("a") ?? ""}
            b={query.get("b") ?? ""}
            metrics={(query.get("metrics") ?? "").split(",").filter((m) => m)}
          />
        </>
      ) : (
        <Show loaded={runs}>
          {(list) => {
            const byAge = [...list].sort((x, y) => x.createdAt.localeCompare(y.createdAt));
            const [o, n] = swapped ? [byAge[1]!, byAge[0]!] : [byAge[0]!, byAge[1]!];
            return (
              <>
                {list.length === 2 && (
                  <TwoRuns
                    oldRun={o}
                    newRun={n}
                    swap={() =>
                      navigate(
                        href("/compare", { runs: ids.join(","), swap: swapped ? undefined : "1" }),
                        true,
                      )
                    }
                  />
                )}
                <ManyRuns runs={list} />
              </>
            );
          }}
        </Show>
      )}
    </section>
  );
}
