/** Series colours that read on light and dark backgrounds. */
export const PALETTE = [
  "#2f6fdf",
  "#d9480f",
  "#2b8a3e",
  "#ae3ec9",
  "#e8590c",
  "#0c8599",
  "#c2255c",
  "#5c940d",
  "#6741d9",
  "#868e96",
];

export const colorAt = (i: number): string => PALETTE[i % PALETTE.length]!;

/** A CSS custom property of the page (`--fg`...), for canvas drawing in the current theme. */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

/** A canvas sized to its box on a high-density screen; returns its 2D context in CSS pixels. */
export function fitCanvas(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
): CanvasRenderingContext2D {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d")!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/** Tick values for an axis from `lo` to `hi` (about `n` of them, at round steps). */
export function ticks(lo: number, hi: number, n = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo === hi) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}
