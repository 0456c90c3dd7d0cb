import type { CompiledQuery, Selectable } from "kysely";
import { invalid, LabbookError } from "../../core/errors.js";
import { checkExperimentName } from "../../core/validate.js";
import type { SqlContext } from "../../store/sql/context.js";
import type { ApiKeysTable } from "../../store/sql/schema.js";
import { ROLES, type Role } from "../env.js";
import { generateKey, hashSecret, newSalt, parseKey, secretMatches } from "./key-material.js";
import type { ApiKeyInfo, ApiKeyStore, CreateApiKeyInput } from "./types.js";

function info(row: Selectable<ApiKeysTable>): ApiKeyInfo {
  return {
    id: row.id,
    workspace: row.workspace,
    role: row.role as Role,
    name: row.name,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    revokedAt: row.revoked_at === null ? null : new Date(Number(row.revoked_at)).toISOString(),
  };
}

/**
 * API keys kept in the SQL store's own database (table `api_keys`, migration 5): a salted
 * HMAC-SHA-256 of each secret, compared in constant time. Workspace names follow the rules
 * of experiment names.
 *
 * @example
 * const keys = new SqlApiKeys(store.ctx);
 * const { key } = await keys.create({ workspace: "team", role: "write" });
 */
export class SqlApiKeys implements ApiKeyStore {
  readonly #ctx: SqlContext;
  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  async create(input: CreateApiKeyInput): Promise<{ key: string; info: ApiKeyInfo }> {
    const workspace = checkExperimentName(input.workspace, "workspace");
    if (!ROLES.includes(input.role)) throw invalid("role", "must be read, write or admin", input.role);
    if (input.name !== undefined && (typeof input.name !== "string" || input.name.length > 200)) {
      throw invalid("name", "must be a string of at most 200 characters", input.name);
    }
    const { key, id, secret } = generateKey();
    const salt = newSalt();
    const row = {
      id,
      workspace,
      role: input.role,
      name: input.name ?? null,
      salt,
      hash: hashSecret(secret, salt),
      created_at: Date.now(),
      revoked_at: null,
    };
    await this.#ctx.write((tx) => tx.query(this.#ctx.db.insertInto("api_keys").values(row).compile()));
    return { key, info: info(row) };
  }

  async list(workspace?: string): Promise<ApiKeyInfo[]> {
    let q = this.#ctx.db.selectFrom("api_keys").selectAll();
    if (workspace !== undefined) q = q.where("workspace", "=", workspace);
    const rows = await q.orderBy("created_at", "desc").orderBy("id").execute();
    return rows.map(info);
  }

  async revoke(id: string, workspace?: string): Promise<ApiKeyInfo> {
    const found = (await this.list(workspace)).find((k) => k.id === id);
    if (!found) {
      throw new LabbookError("NOT_FOUND", `API key ${id} does not exist`, { field: "id", details: { id } });
    }
    if (found.revokedAt) return found;
    const at = Date.now();
    await this.#ctx.write((tx) =>
      tx.query(this.#ctx.db.updateTable("api_keys").set({ revoked_at: at }).where("id", "=", id).compile()),
    );
    return { ...found, revokedAt: new Date(at).toISOString() };
  }

  async verify(key: string): Promise<ApiKeyInfo | null> {
    const parts = parseKey(key);
    if (!parts) return null;
    const row = await this.#ctx.db
      .selectFrom("api_keys")
      .selectAll()
      .where("id", "=", parts.id)
      .executeTakeFirst();
    if (!row || row.revoked_at !== null) return null;
    return secretMatches(parts.secret, row.salt, row.hash) ? info(row) : null;
  }

  /** Asked by every request of a server running open: built and compiled once. */
  #activeQuery: CompiledQuery | null = null;

  async hasActiveKeys(): Promise<boolean> {
    this.#activeQuery ??= this.#ctx.db
      .selectFrom("api_keys")
      .select("id")
      .where("revoked_at", "is", null)
      .limit(1)
      .compile();
    const { rows } = await this.#ctx.db.executeQuery(this.#activeQuery);
    return rows.length > 0;
  }
}
