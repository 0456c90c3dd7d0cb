import { useEffect, useRef } from "preact/hooks";
import { fmtNum } from "../format.ts";
import { type Axis, makeAxis } from "./axis.ts";
import { cssVar, fitCanvas } from "./colors.ts";

export interface ConfigPoint {
  x: unknown;
  /** Each seed's value. */
  ys: number[];
  mean: number;
  std: number;
}

/**
 * A param (x) against a metric (y), one point per config: its mean over seeds with a bar of ±
 * one standard deviation, and each seed's run as a faint dot.
 */
export function Scatter({
  points,
  xField,
  yField,
  height = 320,
}: {
  points: ConfigPoint[];
  xField: string;
  yField: string;
  height?: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const draw = () => {
      const w = Math.max(260, c.parentElement?.clientWidth ?? 400);
      const ctx = fitCanvas(c, w, height);
      const pad = { l: 64, r: 16, t: 12, b: 44 };
      const xa: Axis = makeAxis(
        xField,
        points.map((p) => p.x),
      );
      const ys = points.flatMap((p) => [...p.ys, p.mean - p.std, p.mean + p.std]).filter(Number.isFinite);
      const ya = makeAxis(yField, ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1]);
      const X = (t: number) => pad.l + t * (w - pad.l - pad.r);
      const Y = (t: number) => height - pad.b - t * (height - pad.t - pad.b);
      const muted = cssVar("--muted");
      const line = cssVar("--line");
      const accent = cssVar("--accent");
      ctx.clearRect(0, 0, w, height);
      ctx.font = "11px system-ui, sans-serif";
      ctx.strokeStyle = line;
      ctx.fillStyle = muted;
      ctx.textAlign = "center";
      for (const t of xa.ticks) {
        ctx.beginPath();
        ctx.moveTo(X(t.at), pad.t);
        ctx.lineTo(X(t.at), height - pad.b);
        ctx.stroke();
        ctx.fillText(t.label, X(t.at), height - pad.b + 14, 80);
      }
      ctx.textAlign = "right";
      const yLo = ys.length ? Math.min(...ys) : 0;
      const yHi = ys.length ? Math.max(...ys) : 1;
      for (let i = 0; i <= 4; i++) {
        const v = yLo + ((yHi - yLo) * i) / 4;
        const t = ya.pos(v) ?? 0;
        ctx.beginPath();
        ctx.moveTo(pad.l, Y(t));
        ctx.lineTo(w - pad.r, Y(t));
        ctx.stroke();
        ctx.fillText(fmtNum(Number(v.toPrecision(3))), pad.l - 6, Y(t) + 4);
      }
      ctx.textAlign = "center";
      ctx.fillText(xField, pad.l + (w - pad.l - pad.r) / 2, height - 8);
      ctx.save();
      ctx.translate(12, pad.t + (height - pad.t - pad.b) / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.fillText(yField, 0, 0);
      ctx.restore();
      for (const p of points) {
        const tx = xa.pos(p.x);
        if (tx === null) continue;
        ctx.fillStyle = `${accent}`;
        ctx.globalAlpha = 0.3;
        for (const y of p.ys) {
          const ty = ya.pos(y);
          if (ty !== null) ctx.fillRect(X(tx) - 1.5, Y(ty) - 1.5, 3, 3);
        }
        ctx.globalAlpha = 1;
        const lo = ya.pos(p.mean - p.std);
        const hi = ya.pos(p.mean + p.std);
        const m = ya.pos(p.mean);
        ctx.strokeStyle = accent;
        ctx.lineWidth = 1.5;
        if (lo !== null && hi !== null && p.ys.length > 1) {
          ctx.beginPath();
          ctx.moveTo(X(tx), Y(lo));
          ctx.lineTo(X(tx), Y(hi));
          ctx.moveTo(X(tx) - 4, Y(lo));
          ctx.lineTo(X(tx) + 4, Y(lo));
          ctx.moveTo(X(tx) - 4, Y(hi));
          ctx.lineTo(X(tx) + 4, Y(hi));
          ctx.stroke();
        }
        if (m !== null) {
          ctx.beginPath();
          ctx.arc(X(tx), Y(m), 4, 0, Math.PI * 2);
          ctx.fill();
        }
        ctx.lineWidth = 1;
      }
    };
    draw();
    const ro = new ResizeObserver(draw);
    if (c.parentElement) ro.observe(c.parentElement);
    return () => ro.disconnect();
  }, [points, xField, yField, height]);
  return (
    <div style="width:100%">
      <canvas
        ref={canvas}
        role="img"
        aria-label={`Scatter of ${yField} against ${xField}: ${points.length} configs`}
      />
    </div>
  );
}
