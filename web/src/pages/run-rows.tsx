import { useMemo } from "preact/hooks";
import { ApiError, api, enc, get } from "../api.ts";
import { Bars, histogramBars } from "../charts/bars.tsx";
import type { CompletionField } from "../completion.ts";
import { ErrorLine, Show } from "../components.tsx";
import { fmtNum, fmtValue } from "../format.ts";
import { LIVE_MS } from "../live.ts";
import { href, navigate, useLocation } from "../router.ts";
import type { Page, Row, RunResult, ScoreAggregate } from "../types.ts";
import { useData } from "../use-data.ts";
import { FilterBar } from "./filter-bar.tsx";
import { nextSort, sortOf } from "./runs-view.ts";

const SIZE = 50;

/** A run's rows: filtered with the query language (row fields), sorted by a header click, paged; state in the URL. */
export function RowsTable({ runId, live }: { runId: string; live: boolean }) {
  const { path, query } = useLocation();
  const filter = query.get("rows_filter") ?? "";
  const sort = query.get("rows_sort") ?? "datapoint_id,trial";
  const page = Math.max(1, Number(query.get("rows_page") ?? "1") || 1);
  const set = (patch: Record<string, string | number | undefined>) => {
    const next = Object.fromEntries(query.entries()) as Record<string, string | number | undefined>;
    navigate(href(path, { ...next, ...patch }));
  };
  const rows = useData(
    (s) =>
      get<Page<Row>>(
        `/runs/${enc(runId)}/rows`,
        { filter: filter || undefined, sort, page, page_size: SIZE },
        s,
      ),
    [runId, filter, sort, page],
    live ? LIVE_MS : null,
  );
  const scoreNames = useMemo(() => {
    const names = new Set<string>();
    for (const r of rows.data?.data ?? []) for (const k of Object.keys(r.scores)) names.add(k);
    return [...names].sort();
  }, [rows.data]);
  const fields: CompletionField[] = useMemo(
    () => [
      { field: "datapoint_id" },
      { field: "trial" },
      { field: "passed", values: [true, false] },
      ...scoreNames.map((n) => ({
        field: `scores.${n}`,
        values: [
          ...new Set((rows.data?.data ?? []).map((r) => r.scores[n]).filter((v) => v !== undefined)),
        ].slice(0, 20) as (string | number | boolean | null)[],
      })),
    ],
    [scoreNames, rows.data],
  );
  const e = rows.error;
  const err =
    e instanceof ApiError && e.code === "INVALID_ARGUMENT"
      ? {
          message: e.message,
          ...(typeof e.details.position === "number" ? { position: e.details.position } : {}),
        }
      : undefined;
  const cols = ["datapoint_id", "trial", ...scoreNames.map((n) => `scores.${n}`), "passed"];
  const p = rows.data?.pagination;
  return (
    <section aria-label="Rows">
      <div class="toolbar">
        <FilterBar
          label="Row filter"
          value={filter}
          fields={fields}
          error={err}
          onApply={(f) => set({ rows_filter: f || undefined, rows_page: undefined })}
        />
        <span>
          <strong data-testid="rows-total">{p?.totalResults ?? "…"}</strong> rows
        </span>
      </div>
      {!err && <ErrorLine error={e} />}
      {rows.data && (
        <div class="table-wrap">
          <table aria-label="Rows table">
            <thead>
              <tr>
                {cols.map((c) => {
                  const s = sortOf(sort, c);
                  return (
                    <th
                      key={c}
                      aria-sort={s === "asc" ? "ascending" : s === "desc" ? "descending" : undefined}
                    >
                      <button
                        type="button"
                        class="sort"
                        onClick={(ev) =>
                          set({ rows_sort: nextSort(sort, c, ev.shiftKey), rows_page: undefined })
                        }
                      >
                        {c}
                        {s === "asc" ? " ▲" : s === "desc" ? " ▼" : ""}
                      </button>
                    </th>
                  );
                })}
                <th>item</th>
                <th>output</th>
              </tr>
            </thead>
            <tbody>
              {rows.data.data.map((r) => (
                <tr key={`${r.datapointId}/${r.trial}`}>
                  <td>{r.datapointId}</td>
                  <td class="num">{r.trial}</td>
                  {scoreNames.map((n) => (
                    <td key={n} class="num">
                      {fmtValue(r.scores[n])}
                    </td>
                  ))}
                  <td class={r.passed ? "better" : "worse"}>{r.passed ? "pass" : "fail"}</td>
                  <td title={fmtValue(r.item)}>{fmtValue(r.item)}</td>
                  <td title={fmtValue(r.output)}>{fmtValue(r.output)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {p && p.totalPages > 1 && (
        <nav class="pager" aria-label="Row pages">
          <button type="button" disabled={page <= 1} onClick={() => set({ rows_page: page - 1 })}>
            ← Previous
          </button>
          <span>
            Page {page} of {p.totalPages}
          </span>
          <button type="button" disabled={page >= p.totalPages} onClick={() => set({ rows_page: page + 1 })}>
            Next →
          </button>
        </nav>
      )}
    </section>
  );
}

/** Aggregate scores of a run: per range score its figures and histogram, per rubric score its distribution. */
export function ScoresPanel({ runId }: { runId: string }) {
  const agg = useData(
    (s) =>
      api<{ rows: number; scores: ScoreAggregate[] }>("POST", `/runs/${enc(runId)}/aggregate-scores`, {
        json: {},
        signal: s,
      }),
    [runId],
  );
  return (
    <Show loaded={agg}>
      {(a) =>
        a.scores.length === 0 ? (
          <p class="muted">No row scores.</p>
        ) : (
          <div class="grid">
            {a.scores.map((s) => (
              <div class="card" key={s.name} data-score={s.name}>
                <h3>
                  {s.name} <span class="muted">({s.scoreType})</span>
                </h3>
                {s.scoreType === "range" ? (
                  <>
                    <p>
                      n {s.count} · mean {fmtNum(s.mean)} ± {fmtNum(s.stdDev)} · min {fmtNum(s.min)} · p50{" "}
                      {fmtNum(s.percentiles?.p50)} · max {fmtNum(s.max)}
                      {s.nanCount ? ` · NaN ${s.nanCount}` : ""}
                    </p>
                    {s.histogram && (
                      <Bars title={`Histogram of ${s.name}`} bars={histogramBars(s.histogram)} />
                    )}
                  </>
                ) : (
                  <>
                    <p>
                      n {s.count} · mode {s.modeCategory ?? ""}
                    </p>
                    <Bars
                      title={`Distribution of ${s.name}`}
                      bars={(s.distribution ?? []).map((d) => ({ label: d.category, value: d.count }))}
                    />
                  </>
                )}
              </div>
            ))}
          </div>
        )
      }
    </Show>
  );
}

/** The run result: pass rate, composites, and pass/fail per datapoint (one page at a time). */
export function ResultPanel({ runId }: { runId: string }) {
  const { path, query } = useLocation();
  const page = Math.max(1, Number(query.get("result_page") ?? "1") || 1);
  const res = useData(
    (s) => get<RunResult>(`/runs/${enc(runId)}/result`, { page, page_size: 50 }, s),
    [runId, page],
  );
  return (
    <Show loaded={res}>
      {(r) => (
        <>
          <p>
            <strong class={r.success ? "better" : "worse"}>{r.success ? "success" : "not successful"}</strong>{" "}
            · passed {r.passed} · failed {r.failed} · pass rate{" "}
            <strong data-testid="pass-rate">
              {r.passRate === null ? "n/a" : `${fmtNum(r.passRate * 100)}%`}
            </strong>{" "}
            · aggregate {r.aggregate}
          </p>
          <div class="kv">
            {Object.entries(r.metrics).map(([k, m]) => [
              <dt key={`${k}-t`}>{k}</dt>,
              <dd key={`${k}-d`}>
                {fmtNum(m.aggregate)} ({m.passed} passed, {m.failed} failed of {m.count})
              </dd>,
            ])}
            {Object.entries(r.composites).map(([k, v]) => [
              <dt key={`${k}-t`}>{k} (composite)</dt>,
              <dd key={`${k}-d`}>{fmtNum(v)}</dd>,
            ])}
          </div>
          {r.datapoints.data.length > 0 && (
            <div class="table-wrap" style="margin-top:0.5rem">
              <table aria-label="Datapoints">
                <thead>
                  <tr>
                    <th>datapoint</th>
                    <th>result</th>
                    <th>failed metrics</th>
                    <th>values</th>
                  </tr>
                </thead>
                <tbody>
                  {r.datapoints.data.map((d) => (
                    <tr key={d.datapointId}>
                      <td>{d.datapointId}</td>
                      <td class={d.passed ? "better" : "worse"}>{d.passed ? "pass" : "fail"}</td>
                      <td>{d.failedMetrics.join(", ")}</td>
                      <td class="muted">
                        {Object.entries(d.values)
                          .map(([k, v]) => `${k}=${fmtNum(v)}`)
                          .join(" ")}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {r.datapoints.pagination.totalPages > 1 && (
            <nav class="pager" aria-label="Datapoint pages">
              <button
                type="button"
                disabled={page <= 1}
                onClick={() => navigate(href(path, { ...Object.fromEntries(query), result_page: page - 1 }))}
              >
                ← Previous
              </button>
              <span>
                Page {page} of {r.datapoints.pagination.totalPages}
              </span>
              <button
                type="button"
                disabled={page >= r.datapoints.pagination.totalPages}
                onClick={() => navigate(href(path, { ...Object.fromEntries(query), result_page: page + 1 }))}
              >
                Next →
              </button>
            </nav>
          )}
        </>
      )}
    </Show>
  );
}
