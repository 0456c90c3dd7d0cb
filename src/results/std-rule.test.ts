import { expect, it } from "vitest";
import { cli } from "../cli/test-support/capture.js";
import { type DialectName, describeDialects, useTempStores } from "../store/sql/test-support/temp-store.js";
import { Results } from "./results.js";

const ACC = [0.8, 0.85, 0.9, 0.92];
// pandas.Series([0.8, 0.85, 0.9, 0.92]).std() (ddof 1); the population figure is 0.046570
const SAMPLE_STD = 0.05377421934967226;

/** Four seeds of one config (acc varies, `flat` is the same 0.7 in each), one of another. */
async function seeds(fresh: ReturnType<typeof useTempStores>) {
  const t = await fresh();
  for (const [seed, acc] of ACC.entries()) {
    const run = await t.store.startRun({ experiment: "std", params: { lr: 0.1 }, seed });
    await run.logMetrics({ acc, flat: 0.7 });
    await run.finish();
  }
  const other = await t.store.startRun({ experiment: "std", params: { lr: 0.2 }, seed: 0 });
  await other.logMetrics({ acc: 0.5, flat: 0.7 });
  await other.finish();
  return t;
}

describeDialects(
  "one rule for standard deviations over runs: the sample std (ddof 1), stated in the output",
  (dialect: DialectName) => {
    const fresh = useTempStores("std_rule", dialect);
    it("summary, display, aggregateRuns, agg-runs and compareGroups agree on the same four values", async () => {
      const { store, uri } = await seeds(fresh);
      const results = await Results.fromStore(store, { experiment: "std" });
      const same = results.filter({ params: { lr: 0.1 } });
      const summary = same.summary();
      expect(summary.metrics.acc!.std).toBeCloseTo(SAMPLE_STD, 15);
      expect(summary.metrics.acc!.ddof).toBe(1);

      const agg = await store.aggregateRuns({ experiment: "std", metrics: ["acc"], groupBy: "params.lr" });
      const figures = agg.groups[0]!.metrics.acc!;
      expect(figures.stdDev).toBeCloseTo(SAMPLE_STD, 15);
      expect(figures.ddof).toBe(1);

      const groups = await store.compareGroups("params.lr = 0.1", "params.lr = 0.2", { metrics: ["acc"] });
      expect(groups.metrics.acc!.a.std).toBeCloseTo(SAMPLE_STD, 15);

      const text = same.display({ groupBy: "lr", print: false, color: false, showSummary: true });
      expect(text).toContain("0.8675 ± 0.054");
      expect(text).toMatch(/sample std, ddof 1/);
      expect(text).toMatch(/std \(ddof 1\)/);

      const t = await cli(["--store", uri, "agg-runs", "--metric", "acc", "--group-by", "params.lr"]);
      expect(t.code).toBe(0);
      expect(t.stdout).toMatch(/std \(ddof 1\)/);
      expect(t.stdout).toMatch(/0\.1\s+4\s+acc\s+4\s+0\.8675\s+0\.053774/);
    });

    it("a constant metric shows std 0 exactly, not rounding noise", async () => {
      const { store, uri } = await seeds(fresh);
      const results = await Results.fromStore(store, { experiment: "std" });
      const same = results.filter({ params: { lr: 0.1 } });
      expect(same.summary().metrics.flat!.std).toBe(0);
      const agg = await store.aggregateRuns({ experiment: "std", metrics: ["flat"], groupBy: "params.lr" });
      expect(agg.groups[0]!.metrics.flat!.stdDev).toBe(0);
      const groups = await store.compareGroups("params.lr = 0.1", "params.lr = 0.2", { metrics: ["flat"] });
      expect(groups.metrics.flat!.a.std).toBe(0);
      const text = same.display({ groupBy: "lr", print: false, color: false });
      expect(text).toContain("0.7 ± 0");
      expect(text).not.toMatch(/e-1\d/);
      const t = await cli(["--store", uri, "agg-runs", "--metric", "flat", "--group-by", "params.lr"]);
      expect(t.stdout).toMatch(/0\.1\s+4\s+flat\s+4\s+0\.7\s+0\s/);
    });
  },
);
