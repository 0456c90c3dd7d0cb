import { fromTaggedJson, toTaggedJson } from "../../core/codec.js";
import { ERROR_CODES, type ErrorCode, LabbookError } from "../../core/errors.js";

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

/**
 * A small fetch client for the labbook HTTP API: the API key in `Authorization`, tagged
 * JSON both ways, and error bodies turned back into the {@link LabbookError} the server threw.
 *
 * @example
 * const http = new HttpClient("http://127.0.0.1:7878", "lbk_...");
 * const run = await http.json("GET", "/runs/abc");
 */
export class HttpClient {
  readonly baseUrl: string;
  readonly #apiKey: string | undefined;

  constructor(baseUrl: string, apiKey?: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.#apiKey = apiKey;
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
    const init: RequestInit & { duplex?: "half" } = { method, headers, body };
    if (body instanceof ReadableStream) init.duplex = "half";
    let res: Response;
    try {
      res = await fetch(url, init);
    } catch (e) {
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
    if (!res.ok) throw errorFrom(res.status, await res.text());
    return res;
  }

  /** Sends a request and decodes its tagged JSON answer (`undefined` for 204). */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, options);
    if (res.status === 204) return undefined as T;
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
