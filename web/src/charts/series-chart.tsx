import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { fmtNum } from "../format.ts";
import type { DownsampledSeries } from "../types.ts";
import { colorAt, cssVar } from "./colors.ts";

export interface ChartLine {
  label: string;
  series: DownsampledSeries;
}

/** uPlot's aligned data of several lines: x, then per line its mean, min and max (null where absent). */
function aligned(lines: ChartLine[]): uPlot.AlignedData {
  const tables = lines.map(
    (l) => [l.series.steps, l.series.values, l.series.min, l.series.max] as unknown as uPlot.AlignedData,
  );
  if (tables.length === 1) return tables[0]!;
  return uPlot.join(tables);
}

/**
 * Line charts on canvas (uPlot) of downsampled series: each line is the bucket means, with a
 * band from each bucket's min to its max so that spikes stay visible. Several lines overlay
 * on one chart (steps aligned).
 */
export function SeriesChart({
  title,
  lines,
  height = 220,
}: {
  title: string;
  lines: ChartLine[];
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = lines.map((l) => l.label).join("\u0000");
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const fg = cssVar("--muted");
    const grid = cssVar("--line");
    const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const series: uPlot.Series[] = [{ label: "step" }];
    const bands: uPlot.Band[] = [];
    lines.forEach((l, i) => {
      const c = colorAt(i);
      const base = series.length;
      series.push({ label: l.label, stroke: c, width: 1.5, spanGaps: true, value: (_u, v) => fmtNum(v) });
      series.push({
        label: `${l.label} min`,
        stroke: `${c}55`,
        width: 0.5,
        spanGaps: true,
        value: (_u, v) => fmtNum(v),
      });
      series.push({
        label: `${l.label} max`,
        stroke: `${c}55`,
        width: 0.5,
        spanGaps: true,
        value: (_u, v) => fmtNum(v),
      });
      bands.push({ series: [base + 2, base + 1], fill: `${c}22` });
    });
    const opts: uPlot.Options = {
      title,
      width: Math.max(240, el.clientWidth),
      height,
      series,
      bands,
      scales: { x: { time: false } },
      axes: [axis, { ...axis, size: 60, values: (_u, vals) => vals.map((v) => fmtNum(v)) }],
      legend: { show: lines.length > 1 || true, live: true },
      cursor: { drag: { x: true, y: false } },
    };
    plot.current?.destroy();
    plot.current = new uPlot(opts, aligned(lines), el);
    const ro = new ResizeObserver(() =>
      plot.current?.setSize({ width: Math.max(240, el.clientWidth), height }),
    );
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // rebuilt when the lines change; new data for the same lines only updates
  }, [shape, title, height]);
  useEffect(() => {
    plot.current?.setData(aligned(lines));
  }, [lines]);
  const total = lines.reduce((a, l) => a + l.series.totalPoints, 0);
  const shown = lines.reduce((a, l) => a + l.series.steps.length, 0);
  return (
    <figure class="chart" style="margin:0">
      <div ref={box} role="img" aria-label={`Chart of ${title}: ${total} points`} data-points={total} />
      <figcaption class="muted" style="font-size:0.8rem">
        {total.toLocaleString()} points
        {shown < total ? `, drawn as ${shown.toLocaleString()} buckets (band: min to max)` : ""}
      </figcaption>
    </figure>
  );
}
