import { useRef } from "preact/hooks";
import { runFieldValue } from "../../../src/query/run-value.ts";
import { StatusBadge } from "../components.tsx";
import { fmtDuration, fmtTime, fmtValue } from "../format.ts";
import { href, navigate, onLink } from "../router.ts";
import type { Run } from "../types.ts";
import { sortOf } from "./runs-view.ts";

interface Props {
  runs: Run[];
  cols: string[];
  sort: string;
  onSort(field: string, add: boolean): void;
  selected: ReadonlySet<string>;
  onSelect(runId: string, on: boolean): void;
  /** Global index of the first row (row numbers). */
  offset: number;
  /** Row (0-based on this page) to focus after render. */
  focusRow?: number | undefined;
  onPageKey?(key: "PageDown" | "PageUp"): void;
}

function cell(run: Run, col: string) {
  const v = runFieldValue(run, col);
  if (col === "status") return <StatusBadge status={run.status} />;
  if (col === "created_at" || col === "started_at" || col === "finished_at")
    return fmtTime(v as string | null);
  if (col === "duration_ms") return fmtDuration(run.durationMs);
  if (col === "name") return run.name ?? <span class="muted">{run.runId.slice(0, 12)}</span>;
  return fmtValue(v);
}

const isNum = (col: string) => col.startsWith("metrics.") || col === "duration_ms";

/**
 * The runs of one page: a checkbox, the row number, the chosen columns; headers sort on a
 * click (shift adds a key). Keyboard: arrows move between rows, Enter opens a run, Space
 * selects it, PageDown/PageUp change page.
 */
export function RunsTable({
  runs,
  cols,
  sort,
  onSort,
  selected,
  onSelect,
  offset,
  focusRow,
  onPageKey,
}: Props) {
  const body = useRef<HTMLTableSectionElement>(null);
  const focus = (i: number) => {
    const rows = body.current?.querySelectorAll<HTMLTableRowElement>("tr");
    rows?.[Math.max(0, Math.min(i, rows.length - 1))]?.focus();
  };
  const onKey = (e: KeyboardEvent, i: number, run: Run) => {
    if (e.target !== e.currentTarget) return;
    if (e.key === "ArrowDown") focus(i + 1);
    else if (e.key === "ArrowUp") focus(i - 1);
    else if (e.key === "Home") focus(0);
    else if (e.key === "End") focus(runs.length - 1);
    else if (e.key === "Enter") navigate(`/runs/${encodeURIComponent(run.runId)}`);
    else if (e.key === " ") onSelect(run.runId, !selected.has(run.runId));
    else if ((e.key === "PageDown" || e.key === "PageUp") && onPageKey) onPageKey(e.key);
    else return;
    e.preventDefault();
  };
  return (
    <div class="table-wrap">
      <table aria-label="Runs" aria-rowcount={runs.length}>
        <thead>
          <tr>
            <th>
              <span class="sr-only">Select</span>
            </th>
            <th class="num">#</th>
            {cols.map((c) => {
              const s = sortOf(sort, c);
              return (
                <th
                  key={c}
                  class={isNum(c) ? "num" : undefined}
                  aria-sort={s === "asc" ? "ascending" : s === "desc" ? "descending" : undefined}
                  data-field={c}
                >
                  <button
                    type="button"
                    class="sort"
                    title="Sort (shift: add to the sort)"
                    onClick={(e) => onSort(c, e.shiftKey)}
                  >
                    {c}
                    {s === "asc" ? " ▲" : s === "desc" ? " ▼" : ""}
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody ref={body}>
          {runs.map((run, i) => (
            <tr
              key={run.runId}
              tabIndex={i === (focusRow ?? 0) ? 0 : -1}
              data-run-id={run.runId}
              class={selected.has(run.runId) ? "selected" : undefined}
              onKeyDown={(e) => onKey(e, i, run)}
            >
              <td>
                <input
                  type="checkbox"
                  aria-label={`Select run ${run.name ?? run.runId}`}
                  checked={selected.has(run.runId)}
                  onChange={(e) => onSelect(run.runId, (e.target as HTMLInputElement).checked)}
                  tabIndex={-1}
                />
              </td>
              <td class="num">
                <a
                  href={`/runs/${encodeURIComponent(run.runId)}`}
                  onClick={onLink}
                  tabIndex={-1}
                  aria-label={`Open run ${run.name ?? run.runId}`}
                >
                  {offset + i + 1}
                </a>
              </td>
              {cols.map((c) => (
                <td key={c} class={isNum(c) ? "num" : undefined}>
                  {c === "name" || c === "run_id" ? (
                    <a href={href(`/runs/${encodeURIComponent(run.runId)}`)} onClick={onLink} tabIndex={-1}>
                      {cell(run, c)}
                    </a>
                  ) : (
                    cell(run, c)
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
