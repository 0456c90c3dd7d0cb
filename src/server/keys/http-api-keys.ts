import type { RemoteStore } from "../../store/remote/remote-store.js";
import type { ApiKeyInfo, ApiKeyStore, CreateApiKeyInput } from "./types.js";

/**
 * The API keys of a remote store's workspace, managed through `/api/v1/keys` with an admin
 * key: `labbook --store http://... keys ...` works like it does on the server's folder.
 *
 * @example
 * const keys = new HttpApiKeys(remoteStore);
 * await keys.list();
 */
export class HttpApiKeys implements ApiKeyStore {
  readonly #store: RemoteStore;
  constructor(store: RemoteStore) {
    this.#store = store;
  }
  create(input: CreateApiKeyInput): Promise<{ key: string; info: ApiKeyInfo }> {
    return this.#store.http.json("POST", "/keys", {
      json: { role: input.role, name: input.name, workspace: input.workspace },
    });
  }
  async list(): Promise<ApiKeyInfo[]> {
    return (await this.#store.http.json<{ data: ApiKeyInfo[] }>("GET", "/keys")).data;
  }
  revoke(id: string): Promise<ApiKeyInfo> {
    return this.#store.http.json("DELETE", `/keys/${encodeURIComponent(id)}`);
  }
  async verify(): Promise<ApiKeyInfo | null> {
    return null;
  }
  async hasActiveKeys(): Promise<boolean> {
    return (await this.list()).some((k) => k.revokedAt === null);
  }
}
