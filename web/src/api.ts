import { parseTagged } from "./tagged.ts";

/** An error answer of the API: `{"error": {"code", "message", "details"}}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

const KEY = "labbook.apiKey";
type Listener = () => void;
const keyListeners = new Set<Listener>();
let keyNeeded = false;

/** The API key kept for this browser session (sessionStorage), if any. */
export function apiKey(): string | null {
  return sessionStorage.getItem(KEY);
}

/** Keeps a key for this browser session and retries what waited for it. */
export function setApiKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
  keyNeeded = false;
  for (const l of keyListeners) l();
}

/** True after the server answered 401: the page asks for a key. */
export function isKeyNeeded(): boolean {
  return keyNeeded;
}

/** Calls `fn` when a key is asked for or given. */
export function onKeyChange(fn: Listener): () => void {
  keyListeners.add(fn);
  return () => keyListeners.delete(fn);
}

export type Query = Record<string, string | number | boolean | undefined | null>;

/** `/api/v1<path>?<query>` (empty values left out). */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ""}`;
}

/** A call of the labbook REST API, with the session's key; an error answer throws {@link ApiError}. */
export async function request(
  method: string,
  path: string,
  options: { query?: Query; json?: unknown; signal?: AbortSignal } = {},
): Promise<Response> {
  const headers: Record<string, string> = {};
  const key = apiKey();
  if (key) headers.authorization = `Bearer ${key}`;
  if (options.json !== undefined) headers["content-type"] = "application/json";
  const init: RequestInit = { method, headers };
  if (options.json !== undefined) init.body = JSON.stringify(options.json);
  if (options.signal) init.signal = options.signal;
  const res = await fetch(apiUrl(path, options.query), init);
  if (res.ok) return res;
  let body: { error?: { code?: string; message?: string; details?: Record<string, unknown> } } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // not JSON: keep the status text
  }
  if (res.status === 401) {
    keyNeeded = true;
    for (const l of keyListeners) l();
  }
  throw new ApiError(
    res.status,
    body.error?.code ?? "HTTP",
    body.error?.message ?? `${res.status} ${res.statusText}`,
    body.error?.details ?? {},
  );
}

/** A JSON call: the answer decoded from tagged JSON. */
export async function api<T>(
  method: string,
  path: string,
  options: { query?: Query; json?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const res = await request(method, path, options);
  return parseTagged(await res.text()) as T;
}

/** `GET` of a JSON route. */
export function get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
  return api<T>("GET", path, signal ? { query, signal } : { query });
}

export const enc = encodeURIComponent;

/** Saves a response's body as a file of the user's. */
export async function download(res: Response, filename: string): Promise<void> {
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
