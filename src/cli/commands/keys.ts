import type { Command } from "commander";
import { LabbookError } from "../../core/errors.js";
import { textTable } from "../../results/text-table.js";
import { ROLES, type Role } from "../../server/env.js";
import { HttpApiKeys } from "../../server/keys/http-api-keys.js";
import { SqlApiKeys } from "../../server/keys/sql-api-keys.js";
import type { ApiKeyInfo, ApiKeyStore } from "../../server/keys/types.js";
import { RemoteStore } from "../../store/remote/remote-store.js";
import { SqlStore } from "../../store/sql/sql-store.js";
import type { Store } from "../../store/types.js";
import { out, withStore } from "../context.js";
import { jsonText } from "../json-out.js";

/** The key store of a store: its own database, or the server's `/keys` routes for a remote store. */
function keysOf(store: Store, workspace?: string): ApiKeyStore {
  if (store instanceof SqlStore) return new SqlApiKeys(store.ctx);
  if (store instanceof RemoteStore) {
    if (workspace !== undefined && workspace !== store.workspace) {
      throw new LabbookError(
        "PERMISSION_DENIED",
        `--workspace: an API key of workspace ${store.workspace} manages only its own keys; received ${JSON.stringify(workspace)}`,
      );
    }
    return new HttpApiKeys(store);
  }
  throw new LabbookError("FAILED_PRECONDITION", `store ${store.uri} keeps no API keys`);
}

/** The keys as a table with a header (never the keys themselves). */
function keysTable(list: readonly ApiKeyInfo[]): string {
  return textTable(
    ["id", "workspace", "role", "name", "created_at", "state"].map((header) => ({ header })),
    list.map((k) => [
      k.id,
      k.workspace,
      k.role,
      k.name ?? "-",
      k.createdAt,
      k.revokedAt ? `revoked ${k.revokedAt}` : "active",
    ]),
  );
}

/**
 * `labbook keys create --workspace W --role read|write|admin [--name N]` (prints the key once),
 * `labbook keys list [--workspace W] [--json]`, `labbook keys revoke ID`.
 *
 * @example
 * labbook --store ./labbook keys create --workspace team --role write --name ci
 */
export function registerKeys(program: Command): void {
  const keys = program.command("keys").description("manage the API keys of labbook serve (stored hashed)");
  keys
    .command("create")
    .description("create an API key; it is printed once and only its hash is kept")
    .requiredOption("--workspace <name>", "the workspace the key sees (and nothing else)")
    .requiredOption(
      "--role <role>",
      "read (GET only), write (also log and delete) or admin (also manage keys)",
    )
    .option("--name <text>", "a note to tell keys apart")
    .option("--json", "print JSON")
    .action((opts: { workspace: string; role: string; name?: string; json?: boolean }, cmd: Command) =>
      withStore(cmd, async (store) => {
        if (!ROLES.includes(opts.role as Role)) {
          throw new LabbookError(
            "INVALID_ARGUMENT",
            `--role: must be read, write or admin; received "${opts.role}"`,
          );
        }
        const made = await keysOf(store, opts.workspace).create({
          workspace: opts.workspace,
          role: opts.role as Role,
          name: opts.name,
        });
        if (opts.json) return out(jsonText(made));
        out(made.key);
        process.stderr.write(
          `labbook: key ${made.info.id} (${made.info.role}) of workspace ${made.info.workspace}; store it now, it is not shown again\n`,
        );
      }),
    );
  keys
    .command("list")
    .description("list API keys (never the keys themselves)")
    .option("--workspace <name>", "only keys of this workspace")
    .option("--json", "print JSON")
    .action((opts: { workspace?: string; json?: boolean }, cmd: Command) =>
      withStore(cmd, async (store) => {
        const list = await keysOf(store, opts.workspace).list(opts.workspace);
        if (opts.json) return out(jsonText(list));
        out(list.length === 0 ? "no API keys" : keysTable(list));
      }),
    );
  keys
    .command("revoke <id>")
    .description("revoke an API key by its id (the 16 hex digits after lbk_)")
    .action((id: string, _opts: unknown, cmd: Command) =>
      withStore(cmd, async (store) => {
        const k = await keysOf(store).revoke(id);
        out(`revoked ${k.id} (${k.workspace}, ${k.role})`);
      }),
    );
}
