import { useEffect, useRef } from "preact/hooks";
import { fmtNum } from "../format.ts";
import { cssVar, fitCanvas } from "./colors.ts";

export interface Bar {
  label: string;
  value: number;
}

/**
 * Vertical bars on canvas: a histogram (labels are bin edges) or a distribution of
 * categories. The numbers are in the element's label and title for readers and tests.
 */
export function Bars({
  bars,
  title,
  height = 140,
  color,
}: {
  bars: Bar[];
  title: string;
  height?: number;
  color?: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const draw = () => {
      const w = Math.max(200, c.parentElement?.clientWidth ?? 300);
      const ctx = fitCanvas(c, w, height);
      ctx.clearRect(0, 0, w, height);
      const max = Math.max(1, ...bars.map((b) => b.value));
      const pad = { l: 36, r: 6, t: 6, b: 30 };
      const bw = (w - pad.l - pad.r) / Math.max(1, bars.length);
      ctx.fillStyle = cssVar("--muted");
      ctx.font = "11px system-ui, sans-serif";
      ctx.textAlign = "right";
      ctx.fillText(String(max), pad.l - 4, pad.t + 9);
      ctx.fillText("0", pad.l - 4, height - pad.b);
      ctx.fillStyle = color ?? cssVar("--accent");
      bars.forEach((b, i) => {
        const h = ((height - pad.t - pad.b) * b.value) / max;
        ctx.fillRect(pad.l + i * bw + 1, height - pad.b - h, Math.max(1, bw - 2), h);
      });
      ctx.fillStyle = cssVar("--muted");
      ctx.textAlign = "center";
      const every = Math.ceil(bars.length / Math.max(1, Math.floor((w - pad.l) / 60)));
      bars.forEach((b, i) => {
        if (i % every === 0)
          ctx.fillText(b.label, pad.l + i * bw + bw / 2, height - pad.b + 14, Math.max(bw * every - 4, 20));
      });
    };
    draw();
    const ro = new ResizeObserver(draw);
    if (c.parentElement) ro.observe(c.parentElement);
    return () => ro.disconnect();
  }, [bars, height, color]);
  const text = bars.map((b) => `${b.label}: ${b.value}`).join(", ");
  return (
    <div style="width:100%">
      <canvas ref={canvas} role="img" aria-label={`${title}: ${text}`} title={text} />
    </div>
  );
}

/** Bars of a histogram: one per bin, labelled by its lower edge. */
export function histogramBars(h: { edges: number[]; counts: number[] }): Bar[] {
  return h.counts.map((n, i) => ({ label: fmtNum(h.edges[i] ?? 0), value: n }));
}
