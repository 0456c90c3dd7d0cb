import { useEffect, useRef } from "preact/hooks";
import { fmtNum } from "../format.ts";
import { makeAxis, ramp } from "./axis.ts";
import { cssVar, fitCanvas } from "./colors.ts";

export interface ConfigLine {
  /** Value per param field. */
  params: Record<string, unknown>;
  mean: number;
  min: number;
  max: number;
  n: number;
}

/**
 * Parallel coordinates: one vertical axis per param and a last one for the metric; each config
 * is a line coloured by its metric mean, and on the metric axis a bar spans its seeds' min to max.
 */
export function Parallel({
  lines,
  fields,
  metric,
  height = 340,
}: {
  lines: ConfigLine[];
  fields: string[];
  metric: string;
  height?: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const draw = () => {
      const w = Math.max(300, c.parentElement?.clientWidth ?? 500);
      const ctx = fitCanvas(c, w, height);
      ctx.clearRect(0, 0, w, height);
      const pad = { l: 40, r: 60, t: 28, b: 16 };
      const axes = fields.map((f) =>
        makeAxis(
          f,
          lines.map((l) => l.params[f]),
        ),
      );
      const all = lines.flatMap((l) => [l.min, l.max]).filter(Number.isFinite);
      const mAxis = makeAxis(metric, all.length ? [Math.min(...all), Math.max(...all)] : [0, 1]);
      const n = axes.length + 1;
      const X = (i: number) => pad.l + (i * (w - pad.l - pad.r)) / Math.max(1, n - 1);
      const Y = (t: number) => height - pad.b - t * (height - pad.t - pad.b);
      const muted = cssVar("--muted");
      const fg = cssVar("--fg");
      ctx.font = "11px system-ui, sans-serif";
      const order = [...lines].sort((a, b) => a.mean - b.mean);
      for (const l of order) {
        const t = mAxis.pos(l.mean) ?? 0;
        ctx.strokeStyle = ramp(t);
        ctx.globalAlpha = 0.75;
        ctx.beginPath();
        let started = false;
        axes.forEach((a, i) => {
          const p = a.pos(l.params[a.field]);
          if (p === null) return;
          if (started) ctx.lineTo(X(i), Y(p));
          else ctx.moveTo(X(i), Y(p));
          started = true;
        });
        ctx.lineTo(X(n - 1), Y(t));
        ctx.stroke();
        const lo = mAxis.pos(l.min);
        const hi = mAxis.pos(l.max);
        if (l.n > 1 && lo !== null && hi !== null) {
          ctx.globalAlpha = 1;
          ctx.lineWidth = 3;
          ctx.beginPath();
          ctx.moveTo(X(n - 1) + 4, Y(lo));
          ctx.lineTo(X(n - 1) + 4, Y(hi));
          ctx.stroke();
          ctx.lineWidth = 1;
        }
      }
      ctx.globalAlpha = 1;
      [...axes, mAxis].forEach((a, i) => {
        ctx.strokeStyle = muted;
        ctx.beginPath();
        ctx.moveTo(X(i), Y(0));
        ctx.lineTo(X(i), Y(1));
        ctx.stroke();
        ctx.fillStyle = fg;
        ctx.textAlign = i === 0 ? "left" : i === n - 1 ? "right" : "center";
        ctx.fillText(a.field, X(i), 14, 140);
        ctx.fillStyle = muted;
        ctx.textAlign = "left";
        const ticks =
          i === n - 1
            ? [0, 0.5, 1].map((q) => ({
                at: q,
                label: fmtNum(
                  Number((Math.min(...all) + q * (Math.max(...all) - Math.min(...all))).toPrecision(3)),
                ),
              }))
            : a.ticks;
        for (const t of ticks.slice(0, 12)) ctx.fillText(t.label, X(i) + 5, Y(t.at) + 4, 70);
      });
    };
    draw();
    const ro = new ResizeObserver(draw);
    if (c.parentElement) ro.observe(c.parentElement);
    return () => ro.disconnect();
  }, [lines, fields, metric, height]);
  return (
    <div style="width:100%">
      <canvas
        ref={canvas}
        role="img"
        aria-label={`Parallel coordinates of ${fields.join(", ")} and ${metric}: ${lines.length} configs`}
      />
    </div>
  );
}
