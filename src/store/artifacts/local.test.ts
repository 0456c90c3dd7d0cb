import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "../sql/dialects/sqlite/open.js";
import { LocalBlobStore } from "./local.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A write that never ends: its staged file stays until the stream is released. */
function stalledWrite(blobs: LocalBlobStore) {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  async function* source() {
    yield new Uint8Array([1, 2, 3]);
    await gate;
  }
  const done = blobs.put("run-1/big.bin", source());
  return { done, release };
}

async function staged(root: string): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const names = existsSync(join(root, ".tmp"))
      ? readdirSync(join(root, ".tmp")).filter((n) => n.startsWith(".tmp-"))
      : [];
    if (names.length > 0) return names;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("no staged file");
}

describe("temporary artifact files", () => {
  it("of a dead process are removed when the store opens; a live writer's and recent foreign ones stay", async () => {
    const dir = mkdtempSync(join(tmpdir(), "labbook-tmp-"));
    dirs.push(dir);
    const store = await openSqliteStore(dir);
    const root = join(dir, "artifacts");
    const live = stalledWrite(new LocalBlobStore(root));
    const [mine] = await staged(root);
    expect(mine).toMatch(new RegExp(`^\\.tmp-${process.pid}-[0-9a-f]{8}-[0-9a-f]+$`));
    // A process that has exited: its pid runs no more.
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
      encoding: "utf8",
    });
    const deadName = mine!.replace(`.tmp-${process.pid}-`, `.tmp-${dead.stdout}-`);
    writeFileSync(join(root, ".tmp", deadName), "half an artifact");
    const foreign = ".tmp-123-00000000-abcdef"; // another machine's (its pid means nothing here)
    writeFileSync(join(root, ".tmp", foreign), "x");
    const oldForeign = ".tmp-456-00000000-abcdef";
    writeFileSync(join(root, ".tmp", oldForeign), "x");
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(join(root, ".tmp", oldForeign), twoHoursAgo, twoHoursAgo);
    const other = await openSqliteStore(dir); // a second process opening the store, say
    const left = readdirSync(join(root, ".tmp")).sort();
    expect(left).toEqual([foreign, mine].sort());
    live.release();
    expect((await live.done).size).toBe(3);
    expect(readdirSync(join(root, ".tmp"))).toEqual([foreign]);
    await other.close();
    await store.close();
  });
});
