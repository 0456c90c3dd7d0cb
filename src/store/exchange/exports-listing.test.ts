import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectError } from "../contract/helpers.js";
import { useTempStores } from "../sql/dialects/sqlite/test-support/temp-store.js";
import { exportExperiment } from "./export-experiment.js";
import { latestExportResults, latestExportVersion, listExportVersions } from "./exports-listing.js";

const fresh = useTempStores("exports");

describe("exported versions and latest results", () => {
  it("lists versions in SemVer order, the latest version and the keys of the latest export", async () => {
    const { store, dir } = await fresh();
    const out = join(dir, "out");
    for (const version of ["1.10.0", "1.2.0"]) {
      const run = await store.startRun({ experiment: `sweep:${version}`, params: { lr: 0.1 } });
      await run.finish();
    }
    const at = (s: number) => new Date(Date.UTC(2026, 0, 2, 3, 4, s));
    await exportExperiment(store, { experiment: "sweep:1.2.0", out, at: at(1) });
    await exportExperiment(store, { experiment: "sweep:1.10.0", out, at: at(2) });
    const last = await exportExperiment(store, { experiment: "sweep:1.10.0", out, at: at(3) });
    const old = await exportExperiment(store, { experiment: "sweep:1.2.0", out, at: at(4) });
    // An export without its manifest (still being written, or cut short) is not listed.
    rmSync(join(out, old.keys.manifest!));

    expect(await listExportVersions(out, "sweep")).toEqual([
      { version: "1.2.0", stamps: ["2026-01-02_03-04-01"] },
      { version: "1.10.0", stamps: ["2026-01-02_03-04-02", "2026-01-02_03-04-03"] },
    ]);
    expect(await latestExportVersion(out, "sweep")).toBe("1.10.0");
    const latest = await latestExportResults(out, "sweep");
    expect(latest.experimentId).toBe(last.experimentId);
    expect(latest.keys).toEqual({
      manifest: last.keys.manifest,
      io_spec: last.keys.io_spec,
      specs: last.keys.specs,
      scalars: last.keys.scalars,
      result_file_refs: last.keys.result_file_refs,
      rows: last.keys.rows,
    });
    expect(latest.uris.scalars).toBe(`file://${join(out, last.keys.scalars!)}`);
    expect((await latestExportResults(out, "sweep", { version: "1.2.0" })).stamp).toBe("2026-01-02_03-04-01");
    await expectError(
      latestExportResults(out, "sweep", { version: "9.9.9" }),
      "NOT_FOUND",
      /sweep version 9\.9\.9/,
    );
    await expectError(latestExportVersion(out, "other"), "NOT_FOUND");
  });
});
