import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore, type RunningServer, SqlApiKeys, type Store, startServer } from "../../src/index.js";
import { CHROMIUM, DOCS_DIR, ensureWebBuilt, launchChromium, screenshotDir } from "./browser.js";
import { type Seeded, seedSweep } from "./seed.js";

const hasChromium = existsSync(CHROMIUM);
type CanvasLike = {
  width: number;
  height: number;
  getContext(
    kind: "2d",
  ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
};
/** In the page: how many pixels of a canvas are not transparent. */
const drawnPixels = (c: CanvasLike) => {
  const { data } = c.getContext("2d")!.getImageData(0, 0, c.width, c.height);
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
  return n;
};
if (!hasChromium)
  console.log(`web page tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

describe.skipIf(!hasChromium)("web page in Chromium", () => {
  let dir: string;
  let store: Store;
  /** Another writer of the store, whose open run stops beating. */
  let writer: Store;
  let server: RunningServer;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let seeded: Seeded;
  const shots = screenshotDir();
  /** Every API call the page made: `METHOD /api/v1/...`. */
  const calls = new Set<string>();

  /** The API key once one exists (the last test creates it). */
  let apiKey: string | undefined;
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const headers = {
      ...(init.headers as Record<string, string>),
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    };
    const res = await fetch(`${server.url}/api/v1${path}`, { ...init, headers });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  const shot = async (name: string, docName?: string) => {
    await page.screenshot({ path: join(shots, `${name}.png`) });
    if (DOCS_DIR && docName) await page.screenshot({ path: join(DOCS_DIR, docName) });
  };
  const total = () => page.getByTestId("total").innerText();
  const options = () =>
    page.getByRole("listbox", { name: "Completions" }).getByRole("option").allInnerTexts();
  const typeFilter = async (text: string) => {
    const input = page.getByRole("combobox", { name: "Filter" });
    await input.fill(text);
    await input.press("Escape");
    await input.press("Enter");
  };

  beforeAll(async () => {
    await ensureWebBuilt();
    dir = mkdtempSync(join(tmpdir(), "labbook-web-"));
    // runs whose writer stops beating for 1.5 s read `crashed` through this store
    store = await openSqliteStore(dir, { heartbeatTimeoutMs: 1500 });
    seeded = await seedSweep(store);
    writer = await openSqliteStore(dir);
    const stalled = await writer.startRun({ experiment: "stalled", name: "stalled-run" });
    await stalled.logMetric("loss", 1);
    await stalled.flush();
    server = await startServer(store, { port: 0 });
    browser = await launchChromium();
    browser.context.on("request", (req) => {
      const url = new URL(req.url());
      if (url.pathname.startsWith("/api/")) calls.add(`${req.method()} ${url.pathname}`);
    });
    page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    await writer?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("opens the experiments page and goes to a runs table", async () => {
    await page.goto(server.url);
    const row = page.getByRole("row", { name: /sweep/ });
    await expect.poll(() => row.innerText()).toMatch(/1\.0\.0\s+19/);
    await shot("experiments");
    await page.getByRole("link", { name: "sweep", exact: true }).click();
    await page.waitForURL(/\/runs\?experiment=sweep/);
    await expect.poll(total).toBe("19");
    await expect.poll(() => page.locator("table[aria-label=Runs] tbody tr").count()).toBe(19);
    await expect(page.locator("tbody .status.failed").count()).resolves.toBe(1);
    const goTo = page.getByLabel("Go to row");
    await goTo.fill("7");
    await goTo.press("Enter");
    await page.locator("tbody tr:focus td:nth-child(2)", { hasText: /^7$/ }).waitFor();
    await page.keyboard.press("ArrowDown");
    await page.locator("tbody tr:focus td:nth-child(2)", { hasText: /^8$/ }).waitFor();
    await shot("runs-table");
  });

  it("types a filter and shows the API's total", async () => {
    const filter = 'metrics.acc > 0.8 and params.model = "b"';
    await typeFilter(filter);
    const want = await api<{ pagination: { totalResults: number } }>(
      `/search/runs?experiment=sweep:1.0.0&filter=${encodeURIComponent(filter)}`,
    );
    expect(want.pagination.totalResults).toBeGreaterThan(0);
    expect(want.pagination.totalResults).toBeLessThan(19);
    await expect.poll(total).toBe(String(want.pagination.totalResults));
    await shot("filtered");
  });

  it("completes field paths and values from the field catalog", async () => {
    const input = page.getByRole("combobox", { name: "Filter" });
    await input.fill("");
    await input.pressSequentially("params.mo");
    await expect.poll(() => options()).toEqual([expect.stringMatching(/^params\.model\s/)]);
    await input.press("Tab");
    await input.pressSequentially("= ");
    await expect.poll(() => options()).toEqual(['"a"', '"b"', '"c"'].map((v) => expect.stringContaining(v)));
    await input.press("ArrowDown");
    await input.press("Enter");
    await expect.poll(() => input.inputValue()).toBe('params.model = "b" ');
    await shot("completion");
    await input.press("Escape");
    await input.press("Enter");
    await expect.poll(total).toBe("9");
  });

  it("sorts by a metric: the first row is the API's first", async () => {
    await typeFilter("");
    await page.locator("th[data-field='metrics.acc'] button").click();
    await page.waitForURL(/sort=-metrics\.acc/);
    const want = await api<{ data: { runId: string }[] }>(
      "/search/runs?experiment=sweep:1.0.0&sort=-metrics.acc&page_size=1&fields=",
    );
    await expect
      .poll(() => page.locator("tbody tr").first().getAttribute("data-run-id"))
      .toBe(want.data[0]!.runId);
    await shot("sorted");
    const cols =
      "status,name,params.model,params.optimizer.lr,tags.stage,metrics.acc,metrics.final_loss,duration_ms";
    await page.goto(
      `${server.url}/runs?${new URLSearchParams({ experiment: "sweep:1.0.0", filter: "metrics.acc > 0.75", sort: "-metrics.acc", cols })}`,
    );
    await expect.poll(() => page.locator("tbody tr").count()).toBeGreaterThan(5);
    await shot("runs-view", "web-runs.png");
  });

  it("keeps the whole view in the URL: a reload shows the same view", async () => {
    await typeFilter('tags.stage = "prod"');
    await page.waitForURL(/filter=/);
    await expect.poll(total).toBe("12");
    const before = page.url();
    const firstBefore = await page.locator("tbody tr").first().getAttribute("data-run-id");
    await page.reload();
    expect(page.url()).toBe(before);
    await expect.poll(total).toBe("12");
    await expect.poll(() => page.locator("tbody tr").first().getAttribute("data-run-id")).toBe(firstBefore);
    await expect(page.getByRole("combobox", { name: "Filter" }).inputValue()).resolves.toBe(
      'tags.stage = "prod"',
    );
    await expect(page.locator("th[data-field='metrics.acc']").getAttribute("aria-sort")).resolves.toBe(
      "descending",
    );
    await shot("reloaded");
  });

  it("downloads the current view as CSV", async () => {
    const filter = 'tags.stage = "prod"';
    await page.goto(
      `${server.url}/runs?${new URLSearchParams({ experiment: "sweep:1.0.0", filter, sort: "-metrics.acc", cols: "name,params.model,metrics.acc" })}`,
    );
    await expect.poll(total).toBe("12");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    const lines = readFileSync(await download.path(), "utf8")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toBe("run_id,name,params.model,metrics.acc");
    expect(lines).toHaveLength(13);
    const want = await api<{ data: { runId: string }[] }>(
      `/search/runs?experiment=sweep:1.0.0&filter=${encodeURIComponent(filter)}&sort=-metrics.acc&fields=&page_size=100`,
    );
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(want.data.map((r) => r.runId));
  });

  it("groups by a param and shows the API's mean", async () => {
    await page.goto(`${server.url}/runs?experiment=sweep:1.0.0&cols=status,name,params.model,metrics.acc`);
    await page.getByRole("button", { name: "Group by" }).click();
    await page.getByRole("group", { name: "Group by" }).getByLabel("params.model").check();
    await page.waitForURL(/group=params\.model/);
    const want = await api<{
      groups: { key: Record<string, unknown>; runs: number; metrics: { acc: { mean: number } } }[];
    }>("/aggregate-runs", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ experiment: "sweep:1.0.0", metrics: ["acc"], groupBy: ["params.model"] }),
    });
    const b = want.groups.find((g) => g.key["params.model"] === "b")!;
    const cell = page.getByRole("row", { name: /^b\s/ }).locator("td[data-metric=acc]");
    await expect.poll(() => cell.getAttribute("data-mean")).toBe(String(b.metrics.acc.mean));
    await expect(page.getByRole("row", { name: /^b\s/ }).locator("td").nth(1).innerText()).resolves.toBe(
      String(b.runs),
    );
    await shot("grouped");
  });

  it("opens a run: its chart canvas has drawn pixels", async () => {
    const runId = seeded.ids.get("b/0.01/1")!;
    await page.goto(
      `${server.url}/runs?experiment=sweep:1.0.0&filter=${encodeURIComponent('name = "b-lr0.01-s1"')}`,
    );
    await page.getByRole("link", { name: "b-lr0.01-s1", exact: true }).click();
    await page.waitForURL(new RegExp(`/runs/${runId}$`));
    const canvas = page.locator(".chart canvas").first();
    await canvas.waitFor();
    const drawn = await canvas.evaluate(drawnPixels);
    expect(drawn).toBeGreaterThan(500);
    await expect(page.getByRole("img", { name: /Chart of loss: 300 points/ }).count()).resolves.toBe(1);
    await expect(page.getByText("optimizer").count()).resolves.toBeGreaterThan(0);
    await shot("run-detail", "web-run.png");
  });

  it("filters a run's rows and draws its score histograms and result", async () => {
    const runId = seeded.ids.get("b/0.01/1")!;
    await page.goto(`${server.url}/runs/${runId}?tab=rows`);
    await expect.poll(() => page.getByTestId("rows-total").innerText()).toBe("60");
    const input = page.getByRole("combobox", { name: "Row filter" });
    await input.fill("scores.correct = 0");
    await input.press("Escape");
    await input.press("Enter");
    const want = await api<{ pagination: { totalResults: number } }>(
      `/runs/${runId}/rows?filter=${encodeURIComponent("scores.correct = 0")}&page_size=1`,
    );
    await expect
      .poll(() => page.getByTestId("rows-total").innerText())
      .toBe(String(want.pagination.totalResults));
    await shot("run-rows");
    await page.getByRole("tab", { name: "Scores & result" }).click();
    const hist = page.getByRole("img", { name: /^Histogram of prob/ });
    await hist.waitFor();
    expect(await hist.evaluate(drawnPixels)).toBeGreaterThan(100);
    await expect(
      page.getByRole("img", { name: /^Distribution of grade: .*good: \d+/ }).count(),
    ).resolves.toBe(1);
    const result = await api<{ passRate: number }>(`/runs/${runId}/result`);
    await expect
      .poll(() => page.getByTestId("pass-rate").innerText())
      .toBe(`${Number((result.passRate * 100).toPrecision(4))}%`);
    await shot("run-scores");
  });

  it("downloads an artifact", async () => {
    const runId = seeded.ids.get("b/0.01/1")!;
    await page.goto(`${server.url}/runs/${runId}?tab=files`);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download config.json" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("config.json");
    const path = await download.path();
    const want = await fetch(`${server.url}/api/v1/runs/${runId}/artifacts/config.json`).then((r) =>
      r.text(),
    );
    expect(readFileSync(path, "utf8")).toBe(want);
    expect(JSON.parse(want)).toEqual({ model: "b", lr: 0.01, seed: 1 });
    await page.getByRole("button", { name: "Preview plot.png" }).click();
    await expect
      .poll(() => page.locator("img.preview").evaluate((img: { naturalWidth: number }) => img.naturalWidth))
      .toBe(16);
    await shot("artifacts");
  });

  it("compares two runs and shows the API's verdict", async () => {
    const oldId = seeded.ids.get("a/0.001/0")!;
    const newId = seeded.ids.get("b/0.01/0")!;
    await page.goto(
      `${server.url}/runs?experiment=sweep:1.0.0&filter=${encodeURIComponent('name in ("a-lr0.001-s0", "b-lr0.01-s0")')}`,
    );
    await expect.poll(total).toBe("2");
    for (const id of [oldId, newId])
      await page.locator(`tr[data-run-id='${id}'] input[type=checkbox]`).check();
    await page.getByTestId("compare-selected").click();
    await page.waitForURL(/\/compare\?runs=/);
    const want = await api<{ verdict: string }>(`/runs/${newId}/compare-with/${oldId}`);
    await expect.poll(() => page.getByTestId("verdict").textContent()).toBe(want.verdict);
    await expect(page.locator("tr[data-metric=correct]").count()).resolves.toBe(1);
    await expect(page.locator("tr[data-param='params.model']").count()).resolves.toBe(1);
    await expect(page.locator("tr[data-param='params.optimizer.momentum']").count()).resolves.toBe(0);
    await shot("compare");
  });

  it("shows a bad filter's error under the position it names", async () => {
    await page.goto(`${server.url}/runs?experiment=sweep:1.0.0`);
    const bad = "metrics.acc > and params.model = 'a'";
    await typeFilter(bad);
    const res = await fetch(`${server.url}/api/v1/search/runs?filter=${encodeURIComponent(bad)}`);
    const body = (await res.json()) as { error: { details: { position: number } } };
    expect(res.status).toBe(400);
    const err = page.locator("#filter-error");
    await expect.poll(() => err.getAttribute("data-position")).toBe(String(body.error.details.position));
    const caret = await err.locator(".caret").textContent();
    expect(caret!.indexOf("^")).toBe(body.error.details.position);
    const [inputBox, caretBox] = [
      await page.getByRole("combobox", { name: "Filter" }).boundingBox(),
      await err.locator(".caret").boundingBox(),
    ];
    expect(Math.abs(inputBox!.x - caretBox!.x)).toBeLessThan(2);
    expect(bad.slice(body.error.details.position)).toMatch(/^and/);
    await shot("filter-error");
  });

  it("plots a sweep (configs over seeds) and compares two groups with Welch's test", async () => {
    await page.goto(`${server.url}/sweeps?experiment=sweep:1.0.0&x=params.optimizer.lr&y=metrics.acc`);
    const scatter = page.getByRole("img", {
      name: /Scatter of metrics.acc against params.optimizer.lr: 6 configs/,
    });
    await scatter.waitFor();
    expect(await scatter.evaluate(drawnPixels)).toBeGreaterThan(500);
    const parallel = page.getByRole("img", { name: /Parallel coordinates/ });
    expect(await parallel.evaluate(drawnPixels)).toBeGreaterThan(500);
    await shot("sweeps");
    const [a, b] = ['params.model = "a"', 'params.model = "b"'];
    await page.goto(`${server.url}/compare?${new URLSearchParams({ a, b, metrics: "acc" })}`);
    const want = await api<{ metrics: { acc: { test: { pValue: number } } } }>("/compare-groups", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ filterA: a, filterB: b, options: { metrics: ["acc"] } }),
    });
    const p = want.metrics.acc.test.pValue;
    await expect
      .poll(() => page.getByTestId("p-acc").textContent())
      .toBe(p < 0.001 ? "< 0.001" : p.toFixed(3));
    await shot("compare-groups");
  });

  it("shows a run logged while the table is open", async () => {
    await page.goto(`${server.url}/runs?experiment=sweep:1.0.0`);
    await expect.poll(total).toBe("19");
    const run = await store.startRun({ experiment: "sweep:1.0.0", name: "live-run", params: { model: "a" } });
    await run.logMetrics({ acc: 0.5 });
    await run.flush();
    const t0 = Date.now();
    await page.getByRole("link", { name: "live-run", exact: true }).waitFor({ timeout: 6000 });
    console.log(`a new run appeared in the open table after ${Date.now() - t0} ms`);
    await expect.poll(total).toBe("20");
    await expect(page.locator(`tr[data-run-id='${run.runId}'] .status.running`).count()).resolves.toBe(1);
    await run.finish();
    await page.locator(`tr[data-run-id='${run.runId}'] .status.success`).waitFor({ timeout: 6000 });
    await shot("live");
  });

  it("shows a run whose writer stopped beating as crashed", async () => {
    await page.goto(`${server.url}/runs?experiment=stalled`);
    await page.locator("tbody .status.crashed").waitFor({ timeout: 8000 });
    await page.goto(server.url);
    await expect.poll(() => page.getByRole("row", { name: /stalled/ }).innerText()).toMatch(/crashed 1/);
    await shot("crashed");
  });

  it("is readable on a phone and in dark mode", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`${server.url}/runs/${seeded.failedId}`);
    await page.getByText("loss is NaN at step 0").first().waitFor();
    await expect(page.locator("pre").first().innerText()).resolves.toContain("at train (train.ts:42:11)");
    const bg = await page.evaluate("getComputedStyle(document.body).backgroundColor");
    expect(bg).toBe("rgb(18, 20, 23)");
    const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow).toBeLessThanOrEqual(0);
    await shot("phone-dark");
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("asks for an API key once keys exist, and keeps it for the session", async () => {
    const { key } = await new SqlApiKeys((store as unknown as { ctx: never }).ctx).create({
      workspace: "default",
      role: "read",
    });
    apiKey = key;
    await page.goto(`${server.url}/runs?experiment=sweep:1.0.0`);
    const dialog = page.getByRole("dialog", { name: "API key" });
    await dialog.waitFor();
    await shot("api-key");
    await dialog.getByLabel("Key").fill(key);
    await dialog.getByRole("button", { name: "Use this key" }).click();
    await expect.poll(total).toBe("20");
    await page.reload();
    await expect.poll(total).toBe("20");
    expect(await page.getByRole("dialog").count()).toBe(0);
  });

  it("made only calls of documented routes of the OpenAPI document", async () => {
    const doc = await api<{ paths: Record<string, Record<string, unknown>> }>("/openapi.json");
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => ({
        method: m.toUpperCase(),
        re: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`),
      })),
    );
    const undocumented = [...calls].filter((c) => {
      const [method, path] = c.split(" ") as [string, string];
      return !routes.some((r) => r.method === method && r.re.test(path));
    });
    expect(calls.size).toBeGreaterThan(10);
    expect(undocumented).toEqual([]);
  });
});
