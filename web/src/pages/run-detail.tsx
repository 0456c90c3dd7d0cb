import { enc, get } from "../api.ts";
import { type ChartLine, SeriesChart } from "../charts/series-chart.tsx";
import { Show, StatusBadge } from "../components.tsx";
import { fmtDuration, fmtNum, fmtTime, fmtValue } from "../format.ts";
import { LIVE_MS } from "../live.ts";
import { href, navigate, onLink, useLocation } from "../router.ts";
import type { DownsampledSeries, Run } from "../types.ts";
import { type Loaded, useData } from "../use-data.ts";
import { ParamsTree } from "./params-tree.tsx";
import { Artifacts, DataList } from "./run-files.tsx";
import { ResultPanel, RowsTable, ScoresPanel } from "./run-rows.tsx";

const TABS = [
  ["overview", "Overview"],
  ["rows", "Rows"],
  ["scores", "Scores & result"],
  ["files", "Artifacts & data"],
] as const;
type Tab = (typeof TABS)[number][0];

/** Points per chart: more than one per pixel of a chart. */
export const MAX_POINTS = 1000;

/** Every series of a run, downsampled in the store. */
export async function loadSeries(runId: string, signal?: AbortSignal): Promise<ChartLine[][]> {
  const names = (await get<{ data: string[] }>(`/runs/${enc(runId)}/series`, {}, signal)).data;
  return Promise.all(
    names.map(async (name) => [
      {
        label: name,
        series: await get<DownsampledSeries>(
          `/runs/${enc(runId)}/series/${enc(name)}`,
          { max_points: MAX_POINTS },
          signal,
        ),
      },
    ]),
  );
}

function Charts({ charts }: { charts: Loaded<ChartLine[][] | null> }) {
  return (
    <Show loaded={charts}>
      {(list) =>
        list === null ? null : list.length === 0 ? (
          <p class="muted">No metric series.</p>
        ) : (
          <div class="grid">
            {list.map((lines) => (
              <div class="card" key={lines[0]!.label}>
                <SeriesChart title={lines[0]!.label} lines={lines} />
              </div>
            ))}
          </div>
        )
      }
    </Show>
  );
}

function Overview({ run, charts }: { run: Run; charts: Loaded<ChartLine[][] | null> }) {
  const metrics = Object.entries(run.metrics ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const derived = Object.entries(run.derived ?? {});
  const tags = Object.entries(run.tags);
  return (
    <>
      <div class="grid">
        <section class="card" aria-label="Params">
          <h2>Params</h2>
          <ParamsTree value={run.params ?? {}} />
          {run.seed !== null && run.seed !== undefined && <p>seed: {fmtValue(run.seed)}</p>}
        </section>
        <section class="card" aria-label="Metrics">
          <h2>Metrics</h2>
          {metrics.length === 0 ? (
            <p class="muted">none</p>
          ) : (
            <dl class="kv">
              {metrics.map(([k, v]) => [<dt key={`${k}t`}>{k}</dt>, <dd key={`${k}d`}>{fmtNum(v)}</dd>])}
            </dl>
          )}
          {derived.length > 0 && (
            <>
              <h3>Derived</h3>
              <dl class="kv">
                {derived.map(([k, v]) => [<dt key={`${k}t`}>{k}</dt>, <dd key={`${k}d`}>{fmtValue(v)}</dd>])}
              </dl>
            </>
          )}
          <h3>Tags</h3>
          {tags.length === 0 ? (
            <p class="muted">none</p>
          ) : (
            <p>
              {tags.map(([k, v]) => (
                <code key={k} style="margin-right:0.5rem">
                  {v === "" ? k : `${k}=${v}`}
                </code>
              ))}
            </p>
          )}
        </section>
      </div>
      <h2>Series</h2>
      <Charts charts={charts} />
    </>
  );
}

/** One run: status, times, error; params tree, metrics, tags, charts; rows, scores, result; artifacts and data. */
export function RunDetailPage({ runId }: { runId: string }) {
  const { path, query } = useLocation();
  const tab = (TABS.some(([t]) => t === query.get("tab")) ? query.get("tab") : "overview") as Tab;
  const loaded = useData((s) => get<Run>(`/runs/${enc(runId)}`, {}, s), [runId], LIVE_MS);
  const run = loaded.data;
  const live = run?.status === "running" || run?.status === "pending";
  // the charts load beside the run, not after it (one round trip less before they draw)
  const charts = useData(
    (s) => (tab === "overview" ? loadSeries(runId, s) : Promise.resolve(null)),
    [runId, tab],
    live ? LIVE_MS : null,
  );
  return (
    <section>
      <Show loaded={loaded}>
        {(r) => (
          <>
            <h1>
              {r.name ?? r.runId} <StatusBadge status={r.status} />
            </h1>
            <dl class="kv">
              <dt>run id</dt>
              <dd>{r.runId}</dd>
              <dt>experiment</dt>
              <dd>
                <a href={href("/runs", { experiment: r.experimentId })} onClick={onLink}>
                  {r.experimentId}
                </a>
              </dd>
              <dt>created</dt>
              <dd>{fmtTime(r.createdAt)}</dd>
              <dt>started</dt>
              <dd>{fmtTime(r.startedAt)}</dd>
              <dt>finished</dt>
              <dd>{fmtTime(r.finishedAt) || <span class="muted">not yet</span>}</dd>
              <dt>duration</dt>
              <dd>{fmtDuration(r.durationMs)}</dd>
            </dl>
            {r.error && (
              <section class="card" aria-label="Error" style="margin-top:0.5rem">
                <h2 class="error">
                  {r.error.type}: {r.error.message}
                </h2>
                {r.error.stack && <pre>{r.error.stack}</pre>}
              </section>
            )}
            <div class="tabs" role="tablist" aria-label="Run sections">
              {TABS.map(([t, label]) => (
                <button
                  key={t}
                  type="button"
                  role="tab"
                  aria-selected={t === tab}
                  onClick={() => navigate(href(path, { tab: t === "overview" ? undefined : t }), true)}
                >
                  {label}
                </button>
              ))}
            </div>
            {tab === "overview" && <Overview run={r} charts={charts} />}
            {tab === "rows" && <RowsTable runId={runId} live={live} />}
            {tab === "scores" && (
              <>
                <h2>Aggregate scores</h2>
                <ScoresPanel runId={runId} />
                <h2>Result</h2>
                <ResultPanel runId={runId} />
              </>
            )}
            {tab === "files" && (
              <>
                <h2>Artifacts</h2>
                <Artifacts runId={runId} />
                <h2>Data</h2>
                <DataList runId={runId} />
              </>
            )}
          </>
        )}
      </Show>
    </section>
  );
}
