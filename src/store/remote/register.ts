import { LabbookError } from "../../core/errors.js";
import { type OpenStoreOptions, registerStoreScheme } from "../open-store.js";
import type { Store } from "../types.js";
import { RemoteStore } from "./remote-store.js";

/**
 * Opens a remote store: `http(s)://host:port` with `options.apiKey` or `$LABBOOK_API_KEY`.
 * With `options.workspace`, checks that the key belongs to that workspace. A request that gets
 * no answer (and no streamed byte) for `options.timeoutMs` (default 30 s) fails `UNAVAILABLE`.
 *
 * @example
 * const store = await openRemoteStore("http://127.0.0.1:7878", { apiKey: "lbk_..." });
 */
export async function openRemoteStore(uri: string, options: OpenStoreOptions = {}): Promise<Store> {
  const store = await RemoteStore.connect(
    uri,
    options.apiKey ?? process.env.LABBOOK_API_KEY,
    options.timeoutMs,
  );
  if (options.workspace !== undefined && options.workspace !== store.workspace) {
    throw new LabbookError(
      "PERMISSION_DENIED",
      `workspace: this API key belongs to workspace ${store.workspace}; received ${JSON.stringify(options.workspace)}`,
      { field: "workspace" },
    );
  }
  return store;
}

registerStoreScheme("http", openRemoteStore);
registerStoreScheme("https", openRemoteStore);
