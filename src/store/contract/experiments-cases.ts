import { describe, expect } from "vitest";
import { contractCase, expectError } from "./helpers.js";
import type { ContractContext } from "./suite.js";

export function experimentCases(ctx: ContractContext): void {
  describe("experiments", () => {
    contractCase(ctx, "creates, lists and gets experiments by SemVer", async (store) => {
      const a = await store.createExperiment({
        name: "sweep",
        version: "1.2.0",
        description: "d",
        metadata: { k: [1] },
        tags: ["x"],
      });
      expect(a.experimentId).toBe("sweep:1.2.0");
      await store.createExperiment({ name: "sweep", version: "1.10.0" });
      await store.createExperiment({ name: "alpha" });
      const list = await store.listExperiments();
      expect(list.map((e) => e.experimentId)).toEqual(["alpha:0.1.0", "sweep:1.2.0", "sweep:1.10.0"]);
      expect((await store.getExperiment("sweep")).version).toBe("1.10.0");
      const got = await store.getExperiment("sweep", "1.2.0");
      expect(got).toMatchObject({ description: "d", metadata: { k: [1] }, tags: { x: "" } });
    });

    contractCase(ctx, "refuses bad names, bad versions and duplicates", async (store) => {
      await expectError(store.createExperiment({ name: "bad/name" }), "INVALID_ARGUMENT", /name/);
      await expectError(store.createExperiment({ name: "" }), "INVALID_ARGUMENT", /name/);
      await expectError(
        store.createExperiment({ name: "ok", version: "1.0" }),
        "INVALID_ARGUMENT",
        /version.*SemVer.*"1\.0"/,
      );
      await store.createExperiment({ name: "ok", version: "1.0.0" });
      await expectError(
        store.createExperiment({ name: "ok", version: "1.0.0" }),
        "ALREADY_EXISTS",
        /ok:1\.0\.0/,
      );
      expect(await store.listExperiments()).toHaveLength(1);
      await expectError(store.getExperiment("missing"), "NOT_FOUND", /missing/);
      const again = await store.ensureExperiment({ name: "ok", version: "1.0.0" });
      expect(again.experimentId).toBe("ok:1.0.0");
    });

    contractCase(ctx, "startRun creates the experiment or uses its latest version", async (store) => {
      const r1 = await store.startRun({ experiment: "auto" });
      expect(r1.started.experimentId).toBe("auto:0.1.0");
      await store.createExperiment({ name: "auto", version: "2.0.0" });
      const r2 = await store.startRun({ experiment: "auto" });
      expect(r2.started.experimentId).toBe("auto:2.0.0");
      const r3 = await store.startRun({ experiment: "auto:1.5.0" });
      expect(r3.started.experimentVersion).toBe("1.5.0");
      await expectError(store.startRun({ experiment: "auto:1.5" }), "INVALID_ARGUMENT", /experiment/);
    });
  });
}
