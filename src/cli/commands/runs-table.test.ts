import { expect, it } from "vitest";
import { describeDialects, useTempStores } from "../../store/sql/test-support/temp-store.js";
import { cli } from "../test-support/capture.js";

async function sweep(fresh: ReturnType<typeof useTempStores>) {
  const t = await fresh();
  for (const lr of [0.1, 0.01]) {
    for (const l2 of [0, 0.5]) {
      const run = await t.store.startRun({
        experiment: "sweep",
        params: { lr, l2, data: "rings", model: { depth: 2, width: lr === 0.1 ? 8 : 16 } },
      });
      await run.logMetrics({ acc: 0.8 + lr + l2 / 10 });
      await run.finish();
    }
  }
  return t;
}

describeDialects("labbook runs: the params that vary are columns", (dialect) => {
  const fresh = useTempStores("runs_table", dialect);
  it("shows varying params (nested paths too) beside the metrics, not the fixed ones", async () => {
    const { uri: dir } = await sweep(fresh);
    const t = await cli(["--store", dir, "runs", "--experiment", "sweep"]);
    expect(t.code).toBe(0);
    const [header, , ...lines] = t.stdout.trim().split("\n");
    expect(header).toMatch(
      /run_id\s+experiment\s+status\s+started_at\s+duration\s+lr\s+l2\s+model\.width\s+acc/,
    );
    expect(header).not.toMatch(/\bdata\b|model\.depth/);
    // each run is told apart by its lr and l2
    const cells = lines.slice(0, 4).map((l) =>
      l
        .split(/\s{2,}/)
        .slice(5, 7)
        .join(" "),
    );
    expect(new Set(cells).size).toBe(4);
    // the search form shows them too
    const s = await cli(["--store", dir, "runs", "--where", "params.lr = 0.1"]);
    expect(s.stdout).toMatch(/\bl2\b/);
    expect(s.stdout).not.toMatch(/\blr\b\s+l2/); // lr is the same in both matches
  });

  it("--columns picks the columns after the id; a field no run has names the flag", async () => {
    const { uri: dir } = await sweep(fresh);
    const t = await cli(["--store", dir, "runs", "--columns", "params.lr,metrics.acc,status,data"]);
    expect(t.code).toBe(0);
    const header = t.stdout.split("\n")[0]!;
    expect(header).toMatch(/^run_id\s+params\.lr\s+metrics\.acc\s+status\s+data$/);
    expect(t.stdout).toMatch(/0\.01\s+0\.81\s+success\s+rings/);
    const bad = await cli(["--store", dir, "runs", "--columns", "nope"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^labbook: --columns: expected fields of the runs .*; received "nope"/);
  });

  it("--ids prints only the run ids, one per line, for scripts", async () => {
    const { uri: dir } = await sweep(fresh);
    const t = await cli(["--store", dir, "runs", "--experiment", "sweep", "--limit", "2", "--ids"]);
    expect(t.stdout).toMatch(/^[0-9a-f]{32}\n[0-9a-f]{32}\n$/);
    const none = await cli(["--store", dir, "runs", "--where", "params.lr = 5", "--ids"]);
    expect(none.stdout).toBe("");
  });
});
