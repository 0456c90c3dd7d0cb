import { afterAll, beforeAll } from "vitest";
import { type RunningServer, startServer } from "../../server/start.js";
import { runStoreContract } from "../contract/suite.js";
import { openStore } from "../open-store.js";
import { describeDialects, type TempStore, tempStore } from "../sql/test-support/temp-store.js";
import "./register.js";

// One server over one SQL store of each dialect; each case gets a fresh workspace of it, through
// its own API key, so cases are isolated exactly as two tenants of one server are.
describeDialects("remote store", (dialect) => {
  let backing: TempStore;
  let server: RunningServer;
  let n = 0;

  beforeAll(async () => {
    backing = await tempStore("remote", dialect);
    server = await startServer(backing.store, { host: "127.0.0.1", port: 0 });
  });

  afterAll(async () => {
    await server.close();
    await backing.close();
  });

  runStoreContract("remote", async () => {
    const { SqlApiKeys } = await import("../../server/keys/sql-api-keys.js");
    const keys = new SqlApiKeys(backing.store.ctx);
    const { key } = await keys.create({ workspace: `case${++n}`, role: "write" });
    const store = await openStore(server.url, { apiKey: key });
    return { store, cleanup: () => store.close() };
  });
});
