import type { MiddlewareHandler } from "hono";
import { fromTaggedJson } from "../core/codec.js";
import { LabbookError } from "../core/errors.js";
import type { AppEnv } from "./env.js";

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

function tooLarge(what: string, limit: number, received?: number): LabbookError {
  return new LabbookError(
    "PAYLOAD_TOO_LARGE",
    `${what}: must be at most ${limit} bytes${received === undefined ? "" : `; received ${received}`}`,
    { details: { limit, ...(received === undefined ? {} : { received }) } },
  );
}

/** Refuses a body whose declared `Content-Length` is over `limit` before reading it. */
export function checkDeclaredLength(header: string | undefined, limit: number, what: string): void {
  if (header === undefined) return;
  const n = Number(header);
  if (Number.isFinite(n) && n > limit) throw tooLarge(what, limit, n);
}

/**
 * A request body as a stream that fails with `PAYLOAD_TOO_LARGE` past `limit` bytes, so
 * an upload is refused while it streams, without buffering it.
 */
export async function* limitedStream(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  what: string,
): AsyncGenerator<Uint8Array> {
  if (!body) return;
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(what, limit);
    yield chunk;
  }
}

async function readAll(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of limitedStream(body, limit, "request body")) {
    parts.push(chunk);
    size += chunk.byteLength;
  }
  return Buffer.concat(parts, size);
}

/** Decodes UTF-8, refusing invalid sequences with a 400 naming the byte offset. */
export function decodeUtf8(bytes: Uint8Array, what = "request body"): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = Buffer.from(bytes).toString("utf8").indexOf("\uFFFD");
    throw new LabbookError("INVALID_ARGUMENT", `${what}: must be UTF-8; invalid bytes near byte ${at}`, {
      details: { position: at },
    });
  }
}

/**
 * Reads a JSON request body before the route's schema sees it: at most `limit` bytes
 * (`PAYLOAD_TOO_LARGE`), `application/json`, valid UTF-8, and JSON that parses — a syntax
 * error is a 400 naming the problem and its position.
 */
export function readJsonBody(limit: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.var.bodyRead) return next();
    checkDeclaredLength(c.req.header("content-length"), limit, "request body");
    const type = c.req.header("content-type") ?? "";
    if (!JSON_TYPE.test(type)) {
      throw new LabbookError(
        "INVALID_ARGUMENT",
        `content-type: must be application/json; received ${JSON.stringify(type)}`,
        { field: "content-type" },
      );
    }
    const text = decodeUtf8(await readAll(c.req.raw.body, limit));
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      const problem = e instanceof Error ? e.message : String(e);
      throw new LabbookError("INVALID_ARGUMENT", `request body: malformed JSON: ${problem}`, {
        details: { problem },
      });
    }
    (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve(text);
    c.set("body", fromTaggedJson(parsed, ""));
    c.set("bodyRead", true);
    await next();
  };
}

/**
 * Reads JSON bodies (`POST`, `PUT`, `PATCH` with a JSON content type) before a request
 * waits for a handler slot, so a client that sends its body slowly holds no slot; the
 * route's own {@link readJsonBody} then finds it read. Uploads (`isUpload`: an artifact whose
 * media type is JSON, say) are left to their route, which stores their bytes as they came.
 */
export function prefetchJsonBody(
  limit: number,
  isUpload: (method: string, path: string) => boolean,
): MiddlewareHandler<AppEnv> {
  const read = readJsonBody(limit);
  return async (c, next) => {
    const m = c.req.method;
    if (
      (m === "POST" || m === "PUT" || m === "PATCH") &&
      JSON_TYPE.test(c.req.header("content-type") ?? "") &&
      !isUpload(m, c.req.path)
    ) {
      return read(c, next);
    }
    return next();
  };
}
