import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../../store/contract/helpers.js";
import { type ServerFixture, serverFixture } from "../test-support/fixture.js";
import { hashSecret, parseKey, secretMatches } from "./key-material.js";

let fx: ServerFixture;
beforeAll(async () => {
  fx = await serverFixture();
});
afterAll(() => fx.cleanup());

describe("SQL API keys", () => {
  it("stores only a salted hash: neither the key nor its secret is in the database", async () => {
    const { key, info } = await fx.keys.create({ workspace: "team", role: "read", name: "ci" });
    const { id, secret } = parseKey(key)!;
    expect(info).toMatchObject({ id, workspace: "team", role: "read", name: "ci", revokedAt: null });
    const raw = new BetterSqlite3(join(fx.dir, "labbook.db"), { readonly: true });
    try {
      const row = raw.prepare("select * from api_keys where id = ?").get(id) as Record<string, string>;
      expect(JSON.stringify(row)).not.toContain(secret);
      expect(row.hash).toBe(hashSecret(secret, row.salt!));
      const other = await fx.keys.create({ workspace: "team", role: "read" });
      const row2 = raw.prepare("select salt from api_keys where id = ?").get(parseKey(other.key)!.id) as {
        salt: string;
      };
      expect(row2.salt).not.toBe(row.salt);
    } finally {
      raw.close();
    }
    expect(await fx.keys.verify(key)).toMatchObject({ id, workspace: "team" });
    expect(secretMatches(`${secret.slice(0, -1)}x`, "00", hashSecret(secret, "00"))).toBe(false);
  });

  it("verifies only well-formed, known, unrevoked keys", async () => {
    const { key, info } = await fx.keys.create({ workspace: "team", role: "write" });
    expect(await fx.keys.verify("")).toBeNull();
    expect(await fx.keys.verify(`${key}x`)).toBeNull();
    expect(await fx.keys.verify(key.replace(/_[^_]+$/, `_${"A".repeat(43)}`))).toBeNull();
    expect(await fx.keys.hasActiveKeys()).toBe(true);
    const revoked = await fx.keys.revoke(info.id);
    expect(revoked.revokedAt).not.toBeNull();
    expect(await fx.keys.verify(key)).toBeNull();
    expect((await fx.keys.list("team")).find((k) => k.id === info.id)?.revokedAt).toBe(revoked.revokedAt);
  });

  it("refuses bad workspaces, roles and unknown ids", async () => {
    await expectError(fx.keys.create({ workspace: "bad/ws", role: "read" }), "INVALID_ARGUMENT", /workspace/);
    await expectError(
      fx.keys.create({ workspace: "w", role: "owner" as "read" }),
      "INVALID_ARGUMENT",
      /role: must be read, write or admin/,
    );
    await expectError(fx.keys.revoke("0000000000000000"), "NOT_FOUND", /API key 0000000000000000/);
  });
});
