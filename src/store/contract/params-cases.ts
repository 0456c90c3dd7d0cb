import { describe, expect } from "vitest";
import { contractCase, expectError } from "./helpers.js";
import type { ContractContext } from "./suite.js";

/** `run.logParams`: params added to a started run, searchable, with the keep-unless-replace rule. */
export function paramsCases(ctx: ContractContext): void {
  describe("logParams", () => {
    contractCase(
      ctx,
      "adds params to a started run; a set param keeps its value unless replace; searches see them",
      async (store) => {
        const run = await store.startRun({ experiment: "lp", params: { lr: 0.1, model: { depth: 2 } } });
        const fp = run.started.paramsFingerprint;
        // left un-awaited, as users log: the handle keeps the order
        void run.logParams({ model: { nParams: 7_241_732_096 }, lr: 0.2 });
        void run.logMetrics({ acc: 0.9 });
        await run.finish();
        const rec = await store.getRun(run.runId);
        expect(rec.params).toEqual({ lr: 0.1, model: { depth: 2, nParams: 7_241_732_096 } });
        expect(rec.paramsFingerprint).not.toBe(fp);

        // a run the search index has already passed: its leaves are rewritten at once
        const other = await store.startRun({ experiment: "lp", params: { lr: 0.3 } });
        await other.flush();
        expect((await store.searchRuns({ filter: "params.lr = 0.3", fields: [] })).data).toHaveLength(1);
        await other.logParams({ lr: 0.5, nParams: 12 }, { replace: true });
        const ids = async (filter: string) =>
          (await store.searchRuns({ filter, fields: [] })).data.map((r) => r.runId).sort();
        expect(await ids("params.lr = 0.5")).toEqual([other.runId]);
        expect(await ids("params.lr = 0.3")).toEqual([]);
        expect(await ids("params.nParams = 12")).toEqual([other.runId]);
        expect(await ids("params.model.nParams > 1e9")).toEqual([run.runId]);
        await expectError(() => other.logParams(null as never), "INVALID_ARGUMENT", /^params/);
        await expectError(() => other.logParams({ f: () => 1 }), "INVALID_ARGUMENT", /^params\.f/);
        await other.finish();
        await expectError(() => other.logParams({ x: 1 }), "FAILED_PRECONDITION", /has ended/);
      },
    );

    contractCase(
      ctx,
      "a run whose id derives from its params takes new params but refuses a change to one",
      async (store) => {
        const run = await store.startRun({ experiment: "lp", runId: "deterministic", params: { lr: 0.1 } });
        await run.logParams({ nParams: 3 });
        await run.logParams({ lr: 0.1 }); // the same value: nothing changes
        await expectError(run.logParams({ lr: 0.2 }, { replace: true }), "FAILED_PRECONDITION", /params\.lr/);
        await expectError(
          run.logParams({ lr: 0.2 }),
          "FAILED_PRECONDITION",
          /derives its id from its params/,
        );
        const rec = await store.getRun(run.runId);
        expect(rec.params).toEqual({ lr: 0.1, nParams: 3 });
        expect(rec.paramsFingerprint).toBe(run.started.paramsFingerprint);
        // a refused change fails that call only: the run is still written and ended
        await run.logMetrics({ acc: 1 });
        await run.finish();
        expect(await store.getRun(run.runId)).toMatchObject({ status: "success", metrics: { acc: 1 } });
      },
    );
  });
}
