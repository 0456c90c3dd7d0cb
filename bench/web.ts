/**
 * The web page at scale, in Debian's Chromium (playwright-core), over a store of 100,000 runs
 * filled through the public API (plus a run with 10 series of 100,000 steps and two runs of
 * 10,000 datapoints). Each figure is the median of 5 tries, from the user's action to the view
 * drawn, beside the same REST calls timed from this process without a browser (the baseline):
 * - runs table: navigation to its first rows visible (target < 1.5 s);
 * - a filter typed: Enter to the table's new total shown (target < 500 ms), the table sorted by
 *   creation time (the default) and by a metric;
 * - jump to run 50,000 (page 1,000 of 50 rows): to that row focused (target < 1 s);
 * - a run with 10 series of 100,000 steps: navigation to all 10 charts drawn (target < 1.5 s);
 * - a comparison of two runs of 10,000 datapoints: navigation to the verdict (target < 1.5 s);
 * and the JS and CSS shipped, gzipped (aim under 500 kB).
 * `--store postgres://user@host:5432/db` runs it on PostgreSQL (in a schema made for the run and
 * dropped after it); `--runs N` (or `BENCH_RUNS`) fills a smaller store.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { startServer } from "../src/index.js";
import type { SqlStore } from "../src/store/sql/sql-store.js";
import { CHROMIUM, ensureWebBuilt, launchChromium, WEB_DIST } from "../web/e2e/browser.js";
import { benchRuns, benchStore } from "./support/bench-store.js";
import { fmt, median, seeded } from "./util.js";

const RUNS = benchRuns(100_000);
/** The row jumped to: run 50,000 of the 100,000 (the middle of a smaller store). */
const JUMP = Math.min(50_000, Math.floor(RUNS / 2));
const STEPS = 100_000;
const SERIES = 10;
const DATAPOINTS = 10_000;
const TRIES = 5;
const FILTER = 'metrics.acc > 0.5 and params.model = "b"';

async function fill(store: SqlStore) {
  const rnd = seeded(7);
  await store.createExperiment({ name: "bench", version: "1.0.0" });
  const t0 = performance.now();
  for (let i = 0; i < RUNS; i++) {
    const run = await store.startRun({
      experiment: "bench:1.0.0",
      params: {
        lr: 10 ** -(1 + Math.floor(rnd() * 4)),
        model: rnd() < 0.5 ? "a" : "b",
        depth: 1 + Math.floor(rnd() * 8),
        i,
      },
      seed: i % 5,
      tags: { stage: rnd() < 0.3 ? "dev" : "prod" },
    });
    await run.logMetrics({ acc: rnd(), loss: rnd() * 2, f1: rnd() });
    await run.finish();
  }
  console.log(
    `filled ${RUNS.toLocaleString()} runs through the public API in ${fmt((performance.now() - t0) / 1000)} s (not measured)`,
  );
  const t1 = performance.now();
  const curves = await store.startRun({ experiment: "curves", name: "curves" });
  for (let step = 0; step < STEPS; step++) {
    const m: Record<string, number> = {};
    for (let s = 0; s < SERIES; s++)
      m[`s${s}`] = Math.exp(-step / (10_000 * (s + 1))) + rnd() * 0.05 + (step % 25_000 === 777 ? 3 : 0);
    void curves.logMetrics(m, { step });
  }
  await curves.finish();
  const pair: string[] = [];
  for (const skill of [0.7, 0.72]) {
    const run = await store.startRun({ experiment: "evals", name: `skill ${skill}` });
    for (let from = 0; from < DATAPOINTS; from += 1000) {
      await run.logRows(
        Array.from({ length: 1000 }, (_, k) => ({
          datapointId: `d${from + k}`,
          output: `answer ${from + k}`,
          scores: { correct: rnd() < skill, prob: rnd() },
        })),
      );
    }
    await run.finish();
    pair.push(run.runId);
  }
  console.log(
    `filled ${SERIES} series of ${STEPS.toLocaleString()} steps and 2 runs of ${DATAPOINTS.toLocaleString()} datapoints in ${fmt((performance.now() - t1) / 1000)} s (not measured)`,
  );
  await store.searchRuns({ filter: FILTER, pageSize: 1 }); // the first search indexes the runs
  return { store, curvesId: curves.runId, pair: pair as [string, string] };
}

/** Median of `TRIES` timings of `fn` (ms). */
async function timed(fn: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < TRIES; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function shipped(): { js: number; css: number } {
  const dir = join(WEB_DIST, "assets");
  let js = 0;
  let css = 0;
  for (const f of readdirSync(dir)) {
    const n = gzipSync(readFileSync(join(dir, f)), { level: 9 }).length;
    if (f.endsWith(".js")) js += n;
    if (f.endsWith(".css")) css += n;
  }
  return { js, css };
}

export default async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`web benchmark skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
    return;
  }
  await ensureWebBuilt();
  const b = await benchStore("web");
  console.log(`store: ${b.dialect === "postgres" ? "PostgreSQL" : "SQLite"}`);
  const { store, curvesId, pair } = await fill(b.store);
  const server = await startServer(store, { port: 0, log: () => undefined });
  const browser = await launchChromium();
  const rows: [string, number, number, number][] = [];
  try {
    const page: Page = await browser.context.newPage();
    page.setDefaultTimeout(60_000);
    const base = server.url;
    const api = async (path: string, init?: RequestInit) => {
      const res = await fetch(`${base}/api/v1${path}`, init);
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      return res.json() as Promise<unknown>;
    };
    const runsUrl = `${base}/runs?experiment=bench:1.0.0`;
    // locators, not waitForFunction: the page's Content-Security-Policy forbids evaluating strings
    const totalIs = (n: number) =>
      page.locator("[data-testid=total]", { hasText: new RegExp(`^${n}$`) }).waitFor();
    const firstRows = async () => {
      await page.goto("about:blank");
      await page.goto(runsUrl, { waitUntil: "commit" });
      await page.locator("table[aria-label=Runs] tbody tr").first().waitFor();
    };
    await firstRows(); // warm-up
    rows.push([
      "runs table: first rows visible after navigation",
      await timed(firstRows),
      await timed(async () => {
        await api(
          "/search/runs?experiment=bench:1.0.0&sort=-created_at&page=1&page_size=50&fields=params,metrics",
        );
      }),
      1500,
    ]);
    const want = (
      (await api(
        `/search/runs?experiment=bench:1.0.0&filter=${encodeURIComponent(FILTER)}&page_size=1&fields=`,
      )) as {
        pagination: { totalResults: number };
      }
    ).pagination.totalResults;
    // The filter bar asks for the field catalog when it gets the focus (once per page session):
    // timed apart, then the filter is typed with the completions loaded.
    await page.goto(runsUrl);
    await page.locator("table[aria-label=Runs] tbody tr").first().waitFor();
    const input = page.getByRole("combobox", { name: "Filter" });
    const catalogAnswer = page.waitForResponse((r) => r.url().includes("/api/v1/fields"));
    const c0 = performance.now();
    await input.focus();
    await catalogAnswer;
    const catalogMs = performance.now() - c0;
    const typeFilter = async () => {
      await input.fill("");
      await input.press("Escape");
      await input.press("Enter");
      await totalIs(RUNS);
      await input.fill(FILTER);
      await input.press("Escape");
      const t0 = performance.now();
      await input.press("Enter");
      await totalIs(want);
      return performance.now() - t0;
    };
    for (const sort of ["-created_at", "-metrics.acc"]) {
      if (sort !== "-created_at") {
        await page.locator("th[data-field='metrics.acc'] button").click();
        await page.waitForURL(/sort=-metrics\.acc/);
      }
      const filterTimes: number[] = [];
      for (let i = 0; i < TRIES; i++) filterTimes.push(await typeFilter());
      rows.push([
        `a filter typed (${want.toLocaleString()} matches), table sorted by ${sort}: Enter to the new total`,
        median(filterTimes),
        await timed(async () => {
          await api(
            `/search/runs?experiment=bench:1.0.0&filter=${encodeURIComponent(FILTER)}&sort=${sort}&page=1&page_size=50&fields=params,metrics`,
          );
        }),
        500,
      ]);
    }
    rows.push([
      "the field catalog (filter completions, column picker), asked once per page session",
      catalogMs,
      await (async () => {
        const t0 = performance.now();
        await api("/fields?experiment=bench:1.0.0");
        return performance.now() - t0;
      })(),
      Number.POSITIVE_INFINITY,
    ]);
    const jump = async () => {
      await page.goto(runsUrl);
      await page.locator("table[aria-label=Runs] tbody tr").first().waitFor();
      const box = page.getByLabel("Go to row");
      await box.fill(String(JUMP));
      const t0 = performance.now();
      await box.press("Enter");
      await page.locator("tbody tr:focus td:nth-child(2)", { hasText: new RegExp(`^${JUMP}$`) }).waitFor();
      return performance.now() - t0;
    };
    const jumpTimes: number[] = [];
    for (let i = 0; i < TRIES; i++) jumpTimes.push(await jump());
    rows.push([
      `jump to run ${JUMP.toLocaleString()} (page ${Math.ceil(JUMP / 50).toLocaleString()} of 50)`,
      median(jumpTimes),
      await timed(async () => {
        await api(
          `/search/runs?experiment=bench:1.0.0&sort=-created_at&page=${Math.ceil(JUMP / 50)}&page_size=50&fields=params,metrics`,
        );
      }),
      1000,
    ]);
    const charts = async () => {
      await page.goto("about:blank");
      await page.goto(`${base}/runs/${curvesId}`, { waitUntil: "commit" });
      await page
        .locator(`.chart [data-points="${STEPS}"] canvas`)
        .nth(SERIES - 1)
        .waitFor();
    };
    await charts();
    rows.push([
      `a run with ${SERIES} series of ${STEPS.toLocaleString()} steps: all charts drawn`,
      await timed(charts),
      await timed(async () => {
        await api(`/runs/${curvesId}`);
        await Promise.all(
          Array.from({ length: SERIES }, (_, s) => api(`/runs/${curvesId}/series/s${s}?max_points=1000`)),
        );
      }),
      1500,
    ]);
    const compare = async () => {
      await page.goto("about:blank");
      await page.goto(`${base}/compare?runs=${pair.join(",")}`, { waitUntil: "commit" });
      await page.getByTestId("verdict").waitFor();
    };
    await compare();
    rows.push([
      `a comparison of two runs of ${DATAPOINTS.toLocaleString()} datapoints: the verdict shown`,
      await timed(compare),
      await timed(async () => {
        await api(`/runs/${pair[1]}/compare-with/${pair[0]}`);
      }),
      1500,
    ]);
  } finally {
    await browser.close();
    await server.close();
    await b.remove();
  }
  console.log(
    `\nmedians of ${TRIES} tries in Chromium; baseline: the same REST calls from this process without a browser`,
  );
  for (const [label, ms, baseline, target] of rows) {
    console.log(
      `${label}: ${fmt(ms, 0)} ms${Number.isFinite(target) ? ` (target < ${target.toLocaleString()} ms: ${ms < target ? "met" : "NOT met"})` : " (no target)"}; REST alone ${fmt(baseline, 0)} ms, ratio ${fmt(ms / baseline, 1)}`,
    );
  }
  const { js, css } = shipped();
  console.log(
    `shipped: JS ${fmt(js / 1024, 1)} kB gzip, CSS ${fmt(css / 1024, 1)} kB gzip (aim: JS under 500 kB)`,
  );
}
