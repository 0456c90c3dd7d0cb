import { createWriteStream } from "node:fs";
import { mkdir, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import type { Writable } from "node:stream";

/** Where exported bytes go, in order: a local file, an object upload... */
export interface ByteSink {
  write(bytes: Uint8Array): Promise<void>;
  /** Ends the file (it exists, whole, once this resolves). */
  close(): Promise<void>;
  /** Gives up: nothing (or nothing half-written) is left at the target. */
  abort(): Promise<void>;
}

function writeTo(stream: Writable, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(bytes, (e) => (e ? reject(e) : resolve()));
  });
}

/**
 * A local file written through a temporary name and renamed when closed, so that a reader
 * never sees half a file. Writes wait for the disk (memory holds what one write passed).
 *
 * @example
 * const sink = await fileSink("/tmp/out/scalars.pq");
 * await sink.write(bytes);
 * await sink.close();
 */
export async function fileSink(path: string): Promise<ByteSink> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.partial-${process.pid}-${Date.now().toString(36)}`;
  const stream = createWriteStream(tmp);
  await new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", reject);
  });
  return {
    write: (bytes) => writeTo(stream, bytes),
    async close() {
      await new Promise<void>((resolve, reject) =>
        stream.end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
      await rename(tmp, path);
    },
    async abort() {
      stream.destroy();
      await unlink(tmp).catch(() => undefined);
    },
  };
}
