/**
 * Another process writing to a store, for `bench/search.ts`: `node --import tsx writer.ts DIR`
 * logs run `i` of the search workload for each line `i` read on stdin, then prints `ok`.
 */
import { createInterface } from "node:readline";
import { openSqliteStore } from "../../src/store/sql/dialects/sqlite/open.js";
import { logRun } from "./workload.js";

const store = await openSqliteStore(process.argv[2]!);
process.stdout.write("ready\n");
for await (const line of createInterface({ input: process.stdin })) {
  await logRun(store, Number(line));
  process.stdout.write("ok\n");
}
await store.close();
