import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiError, api, download, get, request } from "../api.ts";
import { useCatalog } from "../catalog.ts";
import type { CompletionField } from "../completion.ts";
import { ErrorLine } from "../components.tsx";
import { LIVE_MS } from "../live.ts";
import { href, navigate, onLink, useLocation } from "../router.ts";
import type { Page, Run, RunGroup } from "../types.ts";
import { useData } from "../use-data.ts";
import { FieldPicker } from "./column-picker.tsx";
import { FilterBar } from "./filter-bar.tsx";
import { GroupsTable } from "./groups-table.tsx";
import { RunsTable } from "./runs-table.tsx";
import {
  BASE_COLUMNS,
  fieldsParam,
  nextSort,
  PAGE_SIZES,
  paramPaths,
  type RunsView,
  viewFromQuery,
  viewQuery,
} from "./runs-view.ts";

const RUN_FIELDS = [
  "run_id",
  "name",
  "status",
  "experiment",
  "version",
  "created_at",
  "started_at",
  "finished_at",
  "duration_ms",
  "tags",
];

/** Columns when none are chosen: the basics, then the params and metrics of the runs shown (up to 4 params, 5 metrics). */
function defaultColumns(runs: Run[]): string[] {
  const params = new Set<string>();
  const metrics = new Set<string>();
  for (const r of runs.slice(0, 50)) {
    for (const p of paramPaths(r.params ?? {})) params.add(`params.${p}`);
    for (const m of Object.keys(r.metrics ?? {})) metrics.add(`metrics.${m}`);
  }
  return [...BASE_COLUMNS, ...[...params].slice(0, 4), ...[...metrics].sort().slice(0, 5)];
}

function filterError(e: Error | undefined): { message: string; position?: number } | undefined {
  if (!(e instanceof ApiError) || e.code !== "INVALID_ARGUMENT") return undefined;
  const pos = e.details.position;
  return typeof pos === "number" ? { message: e.message, position: pos } : { message: e.message };
}

/** The runs table: filter bar, columns, sort, grouping, paging, selection, CSV; the view lives in the URL. */
export function RunsPage() {
  const { query } = useLocation();
  const view = viewFromQuery(query);
  const set = (patch: Partial<RunsView>, replace = false) =>
    navigate(href("/runs", viewQuery({ ...view, ...patch })), replace);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  /** A row to focus once its page is shown: the page number and the row's index on it. */
  const [jump, setJump] = useState<{ page: number; index: number } | null>(null);
  const [wantCatalog, setWantCatalog] = useState(false);
  const catalog = useCatalog(view.experiment, wantCatalog);
  const needCatalog = () => setWantCatalog(true);
  const grouping = view.group.length > 0;
  const runs = useData(
    (signal) =>
      get<Page<Run>>(
        "/search/runs",
        {
          experiment: view.experiment || undefined,
          filter: view.filter || undefined,
          sort: view.sort,
          page: view.page,
          page_size: view.size,
          fields: view.cols.length ? fieldsParam(view.cols) : "params,metrics",
        },
        signal,
      ),
    [view.experiment, view.filter, view.sort, view.page, view.size, view.cols.join(",")],
    LIVE_MS,
  );
  const cols = view.cols.length ? view.cols : defaultColumns(runs.data?.data ?? []);
  const metricCols = cols.filter((c) => c.startsWith("metrics.")).map((c) => c.slice(8));
  const groups = useData(
    (signal) =>
      grouping
        ? api<{ groups: RunGroup[] }>("POST", "/aggregate-runs", {
            json: {
              ...(view.experiment ? { experiment: view.experiment } : {}),
              ...(view.filter ? { filter: view.filter } : {}),
              metrics: metricCols,
              groupBy: view.group,
              fields: ["count", "mean", "stdDev", "min", "max"],
            },
            signal,
          }).then((r) => r.groups)
        : Promise.resolve([]),
    [grouping, view.experiment, view.filter, view.group.join(","), metricCols.join(",")],
    grouping ? 4000 : null,
  );
  const fields: CompletionField[] = useMemo(() => {
    const list: CompletionField[] = RUN_FIELDS.map((f) => ({ field: f }));
    for (const f of catalog ?? []) {
      const known = list.find((x) => x.field === f.field);
      const entry = { field: f.field, values: f.values, detail: `${f.types.join("|")} · ${f.count} runs` };
      if (known) Object.assign(known, entry);
      else list.push(entry);
    }
    return list;
  }, [catalog]);
  const page = runs.data;
  const total = page?.pagination.totalResults;
  const pages = page?.pagination.totalPages ?? 1;
  useEffect(() => {
    if (jump === null || !page || page.pagination.page !== jump.page) return;
    const row = document.querySelectorAll<HTMLTableRowElement>("table[aria-label=Runs] tbody tr")[jump.index];
    if (row) {
      row.focus();
      setJump(null);
    }
  }, [jump, page]);
  const columnOptions = [...new Set([...RUN_FIELDS, ...fields.map((f) => f.field)])].filter(
    (f) => f !== "tags",
  );
  const paramOptions = fields
    .map((f) => f.field)
    .filter((f) => f.startsWith("params.") || f.startsWith("tags."));
  const downloadCsv = async () => {
    const res = await request("GET", "/search/runs.csv", {
      query: {
        filter: view.filter || undefined,
        sort: view.sort,
        experiment: view.experiment || undefined,
        columns: ["run_id", ...cols.filter((c) => c !== "run_id")].join(","),
      },
    });
    await download(res, `runs${view.experiment ? `-${view.experiment.replace(/[^\w.-]+/g, "_")}` : ""}.csv`);
  };
  const err = filterError(runs.error ?? groups.error);
  return (
    <section>
      <h1>Runs{view.experiment ? <span class="muted"> · {view.experiment}</span> : null}</h1>
      <div class="toolbar">
        <FilterBar
          value={view.filter}
          fields={fields}
          error={err}
          onFocus={needCatalog}
          onApply={(filter) => set({ filter, page: 1 })}
        />
      </div>
      <div class="toolbar">
        <FieldPicker
          label="Columns"
          options={columnOptions}
          chosen={view.cols}
          onOpen={needCatalog}
          loading={catalog === undefined}
          onChange={(c) => set({ cols: c })}
        />
        <FieldPicker
          label="Group by"
          options={paramOptions}
          chosen={view.group}
          onOpen={needCatalog}
          loading={catalog === undefined}
          onChange={(g) => set({ group: g, page: 1, cols: view.cols.length ? view.cols : cols })}
        />
        <button type="button" onClick={() => void downloadCsv()}>
          Download CSV
        </button>
        <a
          href={href("/compare", { runs: [...selected].join(",") })}
          onClick={onLink}
          aria-disabled={selected.size < 2}
          class={selected.size < 2 ? "muted" : undefined}
          data-testid="compare-selected"
        >
          Compare selected ({selected.size})
        </a>
        {selected.size > 0 && (
          <button type="button" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        )}
        {view.experiment && (
          <a href={href("/sweeps", { experiment: view.experiment })} onClick={onLink}>
            Sweep plots
          </a>
        )}
        <span class="spacer" />
        <span aria-live="polite">
          <strong data-testid="total">{total ?? "…"}</strong> runs
          {grouping && groups.data ? ` in ${groups.data.length} groups` : ""}
        </span>
      </div>
      {!err && <ErrorLine error={runs.error ?? groups.error} />}
      {grouping ? (
        groups.data && <GroupsTable groups={groups.data} groupBy={view.group} metrics={metricCols} />
      ) : page ? (
        <RunsTable
          runs={page.data}
          cols={cols}
          sort={view.sort}
          onSort={(f, add) => set({ sort: nextSort(view.sort, f, add), page: 1 })}
          selected={selected}
          onSelect={(id, on) => {
            const next = new Set(selected);
            if (on) next.add(id);
            else next.delete(id);
            setSelected(next);
          }}
          offset={(view.page - 1) * view.size}
          onPageKey={(k) => {
            const p = k === "PageDown" ? Math.min(pages, view.page + 1) : Math.max(1, view.page - 1);
            if (p !== view.page) {
              set({ page: p });
              setJump({ page: p, index: 0 });
            }
          }}
        />
      ) : (
        !runs.error && <p class="muted">Loading…</p>
      )}
      {!grouping && (
        <nav class="pager" aria-label="Pages">
          <button type="button" disabled={view.page <= 1} onClick={() => set({ page: view.page - 1 })}>
            ← Previous
          </button>
          <label>
            Page
            <input
              type="number"
              min={1}
              max={pages}
              value={view.page}
              style="width:6rem"
              onChange={(e) => {
                const p = Number((e.target as HTMLInputElement).value);
                if (Number.isInteger(p) && p >= 1) set({ page: Math.min(p, Math.max(1, pages)) });
              }}
            />
            of {pages}
          </label>
          <button type="button" disabled={view.page >= pages} onClick={() => set({ page: view.page + 1 })}>
            Next →
          </button>
          <label>
            Rows per page
            <select
              value={view.size}
              onChange={(e) => set({ size: Number((e.target as HTMLSelectElement).value), page: 1 })}
            >
              {PAGE_SIZES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const n = Number(new FormData(e.currentTarget as HTMLFormElement).get("row"));
              if (!Number.isInteger(n) || n < 1) return;
              const p = Math.ceil(n / view.size);
              set({ page: p });
              setJump({ page: p, index: (n - 1) % view.size });
            }}
          >
            <label>
              Go to row
              <input name="row" type="number" min={1} max={total} style="width:7rem" />
            </label>
          </form>
        </nav>
      )}
    </section>
  );
}
