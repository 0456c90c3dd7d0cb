import type { Role } from "../env.js";

/** What is kept about an API key: never the key itself, only its salted hash. */
export interface ApiKeyInfo {
  /** The public part of the key (`lbk_<id>_...`), used to find and revoke it. */
  id: string;
  workspace: string;
  role: Role;
  name: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export interface CreateApiKeyInput {
  workspace: string;
  role: Role;
  name?: string;
}

/** Where a server finds its API keys (the store's database for the SQL store). */
export interface ApiKeyStore {
  /** Makes a key; the full key is returned once and only its hash is stored. */
  create(input: CreateApiKeyInput): Promise<{ key: string; info: ApiKeyInfo }>;
  /** Keys, newest first (revoked ones included), of one workspace or all. */
  list(workspace?: string): Promise<ApiKeyInfo[]>;
  /** Revokes a key by id (`NOT_FOUND` when unknown); with `workspace`, only a key of it. */
  revoke(id: string, workspace?: string): Promise<ApiKeyInfo>;
  /** The key's record when `key` is a valid, unrevoked key; `null` otherwise. */
  verify(key: string): Promise<ApiKeyInfo | null>;
  /** True when at least one unrevoked key exists. */
  hasActiveKeys(): Promise<boolean>;
}
