import { runStoreContract } from "../../../contract/suite.js";
import { tempStore } from "./test-support/temp-store.js";

runStoreContract("sqlite", async () => {
  const t = await tempStore("sqlite");
  return { store: t.store, cleanup: () => t.close() };
});
