import { fromTaggedJson, toTaggedJson } from "../../core/codec.js";
import { ERROR_CODES, type ErrorCode, invalid, LabbookError } from "../../core/errors.js";

export interface RequestOptions {
  /** Query parameters; a list is sent as the parameter repeated. */
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  /** A JSON body: each top-level field is encoded as tagged JSON under its own name. */
  json?: Record<string, unknown>;
  /** A raw body (streamed uploads). */
  body?: RequestInit["body"];
  headers?: Record<string, string>;
}

function errorFrom(status: number, text: string): LabbookError {
  try {
    const parsed = JSON.parse(text) as {
      error?: { code?: string; message?: string; details?: Record<string, unknown> };
    };
    const e = parsed.error;
    if (e && typeof e.message === "string" && ERROR_CODES.includes(e.code as ErrorCode)) {
      const { field, ...rest } = e.details ?? {};
      return new LabbookError(e.code as ErrorCode, e.message, {
        field: typeof field === "string" ? field : undefined,
        details: Object.keys(rest).length > 0 ? rest : undefined,
      });
    }
  } catch {
    // not a labbook error body: fall through
  }
  return new LabbookError("UNAVAILABLE", `server answered HTTP ${status}: ${text.slice(0, 200)}`, {
    details: { status },
  });
}

/** Encodes each field of a JSON body as tagged JSON, naming the field in errors (`params.lr`). */
export function encodeBody(body: Record<string, unknown>): string {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (v !== undefined) out[k] = toTaggedJson(v, k);
  return JSON.stringify(out);
}

/** How long a request may go without progress before it fails, unless `timeoutMs` says otherwise. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A small fetch client for the labbook HTTP API: the API key in `Authorization`, tagged
 * JSON both ways, and error bodies turned back into the {@link LabbookError} the server threw.
 * A request that makes no progress for `timeoutMs` (no answer, no byte of a streamed body
 * either way) fails with `UNAVAILABLE`.
 *
 * @example
 * const http = new HttpClient("http://127.0.0.1:7878", "lbk_...", 5000);
 * const run = await http.json("GET", "/runs/abc");
 */
export class HttpClient {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly #apiKey: string | undefined;

  constructor(baseUrl: string, apiKey?: string, timeoutMs: number = DEFAULT_TIMEOUT_MS) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.#apiKey = apiKey;
    this.timeoutMs = checkTimeout(timeoutMs);
  }

  /** Sends a request to `/api/v1<path>`; resolves to the response when it is a success. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(`${this.baseUrl}/api/v1${path}`);
    for (const [k, v] of Object.entries(options.query ?? {})) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, item);
      else url.searchParams.set(k, String(v));
    }
    const headers: Record<string, string> = { ...options.headers };
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    let body: RequestInit["body"] | undefined = options.body;
    if (options.json) {
      body = encodeBody(options.json);
      headers["content-type"] = "application/json";
    }
    const watch = new Watchdog(this.timeoutMs, `${method} ${url.pathname}`);
    // Large bodies are sent as a stream, so that their progress keeps the request alive.
    if (body instanceof Uint8Array && body.byteLength > CHUNK_BYTES) body = chunked(body);
    if (body instanceof ReadableStream) body = watch.stream(body);
    const init: RequestInit & { duplex?: "half" } = { method, headers, body, signal: watch.signal };
    if (body instanceof ReadableStream) init.duplex = "half";
    let res: Response;
    try {
      res = await fetch(url, init);
      watch.touch();
      if (!res.ok) throw errorFrom(res.status, await res.text());
    } catch (e) {
      watch.stop();
      if (watch.signal.aborted) throw watch.signal.reason;
      if (e instanceof LabbookError) throw e;
      const cause = e instanceof Error && e.cause instanceof LabbookError ? e.cause : null;
      if (cause) throw cause;
      throw new LabbookError(
        "UNAVAILABLE",
        `cannot reach ${this.baseUrl}: ${e instanceof Error ? e.message : e}`,
        {
          cause: e,
        },
      );
    }
    if (!res.body) {
      watch.stop();
      return res;
    }
    return new Response(watch.stream(res.body, true), {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  }

  /** Sends a request and decodes its tagged JSON answer (`undefined` for 204). */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, options);
    if (res.status === 204) {
      await res.body?.cancel();
      return undefined as T;
    }
    return fromTaggedJson(await res.json()) as T;
  }
}

/** `/runs/<id>` with the id escaped; ids that a URL would rewrite (``, `.`, `..`) are unknown runs. */
export function runPath(runId: string, rest = ""): string {
  if (typeof runId !== "string" || runId === "" || runId === "." || runId === "..") {
    throw new LabbookError("NOT_FOUND", `run ${runId} does not exist`, {
      field: "runId",
      details: { runId },
    });
  }
  return `/runs/${encodeURIComponent(runId)}${rest}`;
}

const CHUNK_BYTES = 1 << 20;

/** Bytes as a stream of chunks of at most {@link CHUNK_BYTES}. */
function chunked(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.subarray(at, at + CHUNK_BYTES));
      at += CHUNK_BYTES;
    },
  });
}

function checkTimeout(ms: unknown): number {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms <= 0) {
    throw invalid("timeoutMs", "must be a number of milliseconds > 0", ms);
  }
  return ms;
}

/**
 * Aborts a request when it makes no progress for `ms`: the timer restarts on each chunk sent
 * or received, and the abort's reason is an `UNAVAILABLE` error naming the request.
 */
class Watchdog {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;

  constructor(ms: number, what: string) {
    this.#timer = setTimeout(() => {
      this.#controller.abort(
        new LabbookError(
          "UNAVAILABLE",
          `${what}: no answer from the server within ${ms} ms (timeoutMs); it may be stopped or overloaded`,
          { field: "timeoutMs", details: { timeoutMs: ms } },
        ),
      );
    }, ms);
    this.#timer.unref();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  touch(): void {
    this.#timer.refresh();
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  /** `body` passed through, restarting the timer on each chunk (and stopping it at the end when `last`). */
  stream(body: ReadableStream<Uint8Array>, last = false): ReadableStream<Uint8Array> {
    const reader = body.getReader();
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        try {
          const { done, value } = await reader.read();
          this.touch();
          if (done) {
            if (last) this.stop();
            controller.close();
          } else controller.enqueue(value);
        } catch (e) {
          this.stop();
          controller.error(this.signal.aborted ? this.signal.reason : e);
        }
      },
      cancel: (reason) => {
        if (last) this.stop();
        return reader.cancel(reason);
      },
    });
  }
}
