import { useState } from "preact/hooks";
import { get } from "../api.ts";
import { Show, StatusBadge } from "../components.tsx";
import { fmtAgo, fmtTime } from "../format.ts";
import { href, onLink } from "../router.ts";
import type { ExperimentSummary, Status } from "../types.ts";
import { useData } from "../use-data.ts";

const ORDER: Status[] = ["running", "success", "failed", "crashed", "cancelled", "pending"];

/** Every experiment: name, version, runs by status, last activity; a search box. */
export function ExperimentsPage() {
  const [q, setQ] = useState("");
  const loaded = useData(
    (signal) => get<{ data: ExperimentSummary[] }>("/experiment-summaries", {}, signal).then((r) => r.data),
    [],
    5000,
  );
  return (
    <section>
      <h1>Experiments</h1>
      <div class="toolbar">
        <label>
          Search
          <input
            type="search"
            placeholder="name or description"
            value={q}
            onInput={(e) => setQ((e.target as HTMLInputElement).value)}
          />
        </label>
      </div>
      <Show loaded={loaded}>
        {(list) => {
          const needle = q.trim().toLowerCase();
          const shown = list.filter(
            (e) =>
              needle === "" ||
              e.experimentId.toLowerCase().includes(needle) ||
              (e.description ?? "").toLowerCase().includes(needle),
          );
          if (list.length === 0) return <p class="muted">No experiment yet: log a run (see the README).</p>;
          return (
            <div class="table-wrap">
              <table aria-label="Experiments">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Version</th>
                    <th class="num">Runs</th>
                    <th>By status</th>
                    <th>Last activity</th>
                    <th>Description</th>
                    <th>
                      <span class="sr-only">Links</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((e) => (
                    <tr key={e.experimentId}>
                      <td>
                        <a href={href("/runs", { experiment: e.experimentId })} onClick={onLink}>
                          {e.name}
                        </a>
                      </td>
                      <td>{e.version}</td>
                      <td class="num">{e.runCount}</td>
                      <td>
                        {ORDER.filter((s) => e.statusCounts[s]).map((s) => (
                          <span key={s} style="margin-right:0.6rem">
                            <StatusBadge status={s} /> {e.statusCounts[s]}
                          </span>
                        ))}
                      </td>
                      <td title={fmtTime(e.lastActivityAt)}>{fmtAgo(e.lastActivityAt)}</td>
                      <td class="muted">{e.description ?? ""}</td>
                      <td>
                        <a
                          href={href("/sweeps", { experiment: e.experimentId })}
                          onClick={onLink}
                          aria-label={`Sweep plots of ${e.experimentId}`}
                        >
                          sweep plots
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </Show>
    </section>
  );
}
