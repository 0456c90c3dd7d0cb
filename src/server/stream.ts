import { LabbookError } from "../core/errors.js";

/**
 * A streamed response from an async iterable. The first item is read before the response
 * starts, so an error there (`NOT_FOUND` for an unknown run) is still an error response;
 * an error later aborts the stream (the status line was already sent) and is logged.
 */
export async function streamResponse(
  source: AsyncIterable<string | Uint8Array>,
  headers: Record<string, string>,
  log: (e: unknown) => void,
): Promise<Response> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  const encoder = new TextEncoder();
  const bytes = (v: string | Uint8Array) => (typeof v === "string" ? encoder.encode(v) : v);
  let pending: IteratorResult<string | Uint8Array> | null = first;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = pending ?? (await it.next());
        pending = null;
        if (next.done) controller.close();
        else controller.enqueue(bytes(next.value));
      } catch (e) {
        log(e);
        controller.error(new LabbookError("INTERNAL", "stream failed"));
      }
    },
    async cancel() {
      await it.return?.();
    },
  });
  return new Response(stream, { status: 200, headers });
}

/** Maps an async iterable. */
export async function* mapAsync<T, U>(source: AsyncIterable<T>, fn: (v: T) => U): AsyncGenerator<U> {
  for await (const v of source) yield fn(v);
}

/** Decodes a byte stream as UTF-8 text chunks, refusing invalid bytes with `INVALID_ARGUMENT`. */
export async function* utf8Chunks(source: AsyncIterable<Uint8Array>, what: string): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let offset = 0;
  try {
    for await (const chunk of source) {
      yield decoder.decode(chunk, { stream: true });
      offset += chunk.byteLength;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch (e) {
    if (e instanceof LabbookError) throw e;
    throw new LabbookError("INVALID_ARGUMENT", `${what}: must be UTF-8; invalid bytes after byte ${offset}`, {
      details: { position: offset },
    });
  }
}
