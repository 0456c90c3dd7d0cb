import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../store/open-store.js";
import "../store/remote/register.js";
import { openSqliteStore } from "../store/sql/dialects/sqlite/open.js";
import type { SqlStore } from "../store/sql/sql-store.js";
import { SqlApiKeys } from "./keys/sql-api-keys.js";
import { type RunningServer, startServer } from "./start.js";

// Two server instances, each with its own store object over one store folder, as two
// processes would be: the servers keep no state, so each answers what the other wrote.
let dir: string;
const stores: SqlStore[] = [];
const servers: RunningServer[] = [];
let key: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "labbook-two-servers-"));
  for (let i = 0; i < 2; i++) stores.push(await openSqliteStore(dir));
  key = (await new SqlApiKeys(stores[0]!.ctx).create({ workspace: "team", role: "write" })).key;
  for (const s of stores) servers.push(await startServer(s, { port: 0 }));
});
afterAll(async () => {
  for (const s of servers) await s.close();
  for (const s of stores) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("two servers over one store", () => {
  it("answer the same, whichever was written through", async () => {
    const [one, two] = await Promise.all(servers.map((s) => openStore(s.url, { apiKey: key })));
    const run = await one!.startRun({ experiment: "shared", params: { lr: 0.1 } });
    await run.logMetrics({ acc: 0.8 });
    await run.logRows([{ datapointId: "a", scores: { em: 1 } }]);
    await run.logArtifact("note.txt", "from one");
    await run.finish();
    const other = await two!.startRun({ experiment: "shared", params: { lr: 0.2 } });
    await other.finish();
    for (const read of [
      (s: typeof one) => s!.getRun(run.runId),
      (s: typeof one) => s!.listRuns(),
      (s: typeof one) => s!.searchRuns({ filter: "params.lr < 0.15" }),
      (s: typeof one) => s!.listArtifacts(run.runId),
    ]) {
      expect(await read(two)).toEqual(await read(one));
    }
    expect(Buffer.from((await two!.getArtifact(run.runId, "note.txt")).bytes).toString()).toBe("from one");
    expect((await one!.listRuns()).map((r) => r.runId)).toEqual([other.runId, run.runId]);
    // a key is checked against the shared database by each server, so revoking it works on both
    const keys = new SqlApiKeys(stores[1]!.ctx);
    await keys.revoke((await keys.list("team"))[0]!.id);
    for (const s of servers) {
      const res = await fetch(`${s.url}/api/v1/runs`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(401);
    }
  });
});
