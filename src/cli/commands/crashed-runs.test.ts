import { afterEach, describe, expect, it } from "vitest";
import { useTempStores } from "../../store/sql/dialects/sqlite/test-support/temp-store.js";
import { cli } from "../test-support/capture.js";

const fresh = useTempStores("cli-crashed");
const saved = process.env.LABBOOK_HEARTBEAT_TIMEOUT_MS;
afterEach(() => {
  if (saved === undefined) delete process.env.LABBOOK_HEARTBEAT_TIMEOUT_MS;
  else process.env.LABBOOK_HEARTBEAT_TIMEOUT_MS = saved;
});

describe("crashed runs on the command line", () => {
  it("labbook runs --status crashed and --where 'status = \"crashed\"' list a run whose heartbeat is too old", async () => {
    const t = await fresh();
    const open = await t.store.startRun({ experiment: "cli-crash", params: { k: 1 } });
    await open.logMetric("acc", 0.5);
    await open.flush(); // its store beats every 10 s: to a CLI judging by 200 ms it is silent
    const done = await t.store.startRun({ experiment: "cli-crash", params: { k: 2 } });
    await done.finish();
    process.env.LABBOOK_HEARTBEAT_TIMEOUT_MS = "200";
    await new Promise((r) => setTimeout(r, 300));
    const listed = await cli(["--store", t.dir, "runs", "--status", "crashed", "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(
      JSON.parse(listed.stdout).map((r: { runId: string; status: string }) => [r.runId, r.status]),
    ).toEqual([[open.runId, "crashed"]]);
    const searched = await cli(["--store", t.dir, "runs", "--where", 'status = "crashed"', "--json"]);
    expect(searched.code, searched.stderr).toBe(0);
    expect(searched.stdout).toContain(open.runId);
    expect(searched.stdout).not.toContain(done.runId);
    const table = await cli(["--store", t.dir, "runs", "--experiment", "cli-crash"]);
    expect(table.stdout).toMatch(/crashed/);
    await open.finish();
  });
});
