/**
 * Another process writing to a store, for `bench/search.ts`: `node --import tsx writer.ts URI`
 * (a SQLite folder or a `postgres://` URI) logs run `i` of the search workload for each line `i`
 * read on stdin, then prints `ok`.
 */
import { createInterface } from "node:readline";
import { openStore } from "../../src/index.js";
import { logRun } from "./workload.js";

const store = await openStore(process.argv[2]!);
process.stdout.write("ready\n");
for await (const line of createInterface({ input: process.stdin })) {
  await logRun(store, Number(line));
  process.stdout.write("ok\n");
}
await store.close();
