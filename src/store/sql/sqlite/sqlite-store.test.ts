import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runStoreContract } from "../../contract/suite.js";
import { openSqliteStore } from "./open.js";

runStoreContract("sqlite", async () => {
  const dir = mkdtempSync(join(tmpdir(), "labbook-sqlite-"));
  const store = await openSqliteStore(dir);
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
