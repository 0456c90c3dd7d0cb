import { afterAll, beforeAll, describe, it } from "vitest";
import type { Refusal, Works } from "./cases.js";
import { UNKNOWN_KEYS } from "./cases-keys.js";
import { LONG_LISTS, QUERY_LIMITS } from "./cases-queries.js";
import { KEPT, WRITE_PATH } from "./cases-write.js";
import { expectRefused, makeWorld, VIAS, type World } from "./world.js";

// The bad-input catalog: every case runs through the embedded store ("library") and through the
// remote store over a loopback server ("http"); a refused case must leave every table's row count
// and the store's files as they were (nothing half-written). HTTP-only cases: http.test.ts.
let w: World;
beforeAll(async () => {
  w = await makeWorld();
}, 60_000);
afterAll(() => w.close());

const REFUSALS: [string, Refusal[]][] = [
  ["filters past the limits", QUERY_LIMITS],
  ["the write path", WRITE_PATH],
  ["unknown keys", UNKNOWN_KEYS],
];
const WORKING: [string, Works[]][] = [
  ["filters of thousands of values", LONG_LISTS],
  ["values kept as given", KEPT],
];

describe.each(VIAS)("through the %s", (via) => {
  for (const [group, cases] of REFUSALS) {
    describe(`${group} are refused, writing nothing`, () => {
      for (const c of cases) {
        if (c.only && c.only !== via) continue;
        it(c.name, async () => {
          await expectRefused(w, () => c.call(w.store(via), w, via), c.code ?? "INVALID_ARGUMENT", c.message);
        });
      }
    });
  }
  for (const [group, cases] of WORKING) {
    describe(`${group} work`, () => {
      for (const c of cases) {
        it(c.name, async () => {
          c.check((await c.call(w.store(via), w, via)) as never, w);
        });
      }
    });
  }
});
