import { describe, it } from "vitest";
import { runStoreContract } from "../contract/suite.js";
import { DIALECTS, pgClusterUrl, pgSkipReason, tempStore } from "./test-support/temp-store.js";

// The one store contract, on each SQL dialect.
for (const dialect of DIALECTS) {
  if (dialect === "postgres" && !pgClusterUrl()) {
    describe.skip(`store contract: postgres (skipped: ${pgSkipReason()})`, () => {
      it("runs with a PostgreSQL test cluster", () => undefined);
    });
    continue;
  }
  runStoreContract(dialect, async () => {
    const t = await tempStore("contract", dialect);
    return { store: t.store, cleanup: () => t.close() };
  });
}
