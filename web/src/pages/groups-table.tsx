import { fmtNum, fmtValue } from "../format.ts";
import type { RunGroup } from "../types.ts";

/** Groups of runs: the group's key, its run count n, and per metric mean ± std and min – max. */
export function GroupsTable({
  groups,
  groupBy,
  metrics,
}: {
  groups: RunGroup[];
  groupBy: string[];
  metrics: string[];
}) {
  return (
    <div class="table-wrap">
      <table aria-label="Groups">
        <thead>
          <tr>
            {groupBy.map((g) => (
              <th key={g}>{g}</th>
            ))}
            <th class="num">n</th>
            {metrics.map((m) => (
              <th key={m} class="num" colSpan={2}>
                {`metrics.${m}`}
                <div class="muted" style="font-weight:400">
                  mean ± std · min – max
                </div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={JSON.stringify(g.key)}>
              {groupBy.map((k) => (
                <td key={k}>
                  {g.key[k] === null || g.key[k] === undefined ? (
                    <span class="muted">(none)</span>
                  ) : (
                    fmtValue(g.key[k])
                  )}
                </td>
              ))}
              <td class="num">{g.runs}</td>
              {metrics.map((m) => {
                const f = g.metrics[m];
                return [
                  <td key={`${m}-mean`} class="num" data-metric={m} data-mean={f?.mean ?? ""}>
                    {f && f.mean !== null && f.mean !== undefined
                      ? `${fmtNum(f.mean)} ± ${fmtNum(f.stdDev ?? 0)}`
                      : ""}
                  </td>,
                  <td key={`${m}-range`} class="num muted">
                    {f && f.min !== null && f.min !== undefined ? `${fmtNum(f.min)} – ${fmtNum(f.max)}` : ""}
                  </td>,
                ];
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
