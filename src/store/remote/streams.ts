import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { fromTaggedJson } from "../../core/codec.js";
import { invalid, LabbookError } from "../../core/errors.js";
import type { ArtifactSource } from "../types.js";

/** A response body's chunks; a connection lost midway is `UNAVAILABLE`. */
async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (e) {
    if (e instanceof LabbookError) throw e;
    throw new LabbookError("UNAVAILABLE", `the server ended the response early: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/** The lines of a streamed body, each with its `\n` (the last one too when the body ends without). */
export async function* responseLines(body: ReadableStream<Uint8Array> | null): AsyncGenerator<string> {
  if (!body) return;
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of chunksOf(body)) {
    rest += decoder.decode(chunk, { stream: true });
    let i = rest.indexOf("\n");
    while (i >= 0) {
      yield rest.slice(0, i + 1);
      rest = rest.slice(i + 1);
      i = rest.indexOf("\n");
    }
  }
  rest += decoder.decode();
  if (rest.length > 0) yield `${rest}\n`;
}

/** Tagged JSON values, one a line. */
export async function* jsonLines<T>(body: ReadableStream<Uint8Array> | null): AsyncGenerator<T> {
  for await (const line of responseLines(body)) {
    if (line.trim().length > 0) yield fromTaggedJson(JSON.parse(line)) as T;
  }
}

/** Bytes of a response body. */
export async function* bodyChunks(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!body) return;
  yield* chunksOf(body);
}

/** A request body from bytes, text chunks or a stream. */
export function streamBody(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
): ReadableStream {
  const encoder = new TextEncoder();
  async function* bytes() {
    for await (const c of source) yield typeof c === "string" ? encoder.encode(c) : c;
  }
  return Readable.toWeb(Readable.from(bytes())) as ReadableStream;
}

/** An artifact source as a request body; a `{ path }` is streamed from the local file. */
export async function artifactBody(source: ArtifactSource): Promise<RequestInit["body"]> {
  if (source instanceof Uint8Array) return source;
  if ("path" in source && typeof source.path === "string") {
    const s = await stat(source.path).catch(() => null);
    if (!s?.isFile()) throw invalid("path", "must name a readable local file", source.path);
    return Readable.toWeb(createReadStream(source.path)) as ReadableStream;
  }
  return streamBody(source as AsyncIterable<Uint8Array>);
}
