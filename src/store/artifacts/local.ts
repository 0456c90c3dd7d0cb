import { createHash, randomBytes } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { access, mkdir, readFile, rename, rm, unlink } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { LabbookError } from "../../core/errors.js";
import type { ArtifactBlobStore } from "./types.js";

/**
 * Artifacts in a local folder: `<root>/<runKey>/<name>`. Writes go to a temporary file
 * then are renamed, so a reader never sees half an artifact. Keys are checked to stay
 * inside the root.
 */
export class LocalBlobStore implements ArtifactBlobStore {
  readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  #path(key: string): string {
    const p = resolve(this.root, key);
    if (!p.startsWith(this.root + sep)) {
      throw new LabbookError(
        "INVALID_ARGUMENT",
        `artifact key ${JSON.stringify(key)} leaves the artifact folder`,
        {
          field: "name",
        },
      );
    }
    return p;
  }

  async put(key: string, source: Uint8Array | AsyncIterable<Uint8Array>) {
    const target = this.#path(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = join(dirname(target), `.tmp-${randomBytes(6).toString("hex")}`);
    const hash = createHash("sha256");
    let size = 0;
    const src = source instanceof Uint8Array ? [source] : source;
    async function* tap() {
      for await (const chunk of src) {
        const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
        hash.update(bytes);
        size += bytes.byteLength;
        yield bytes;
      }
    }
    try {
      await pipeline(Readable.from(tap()), createWriteStream(tmp));
      await rename(tmp, target);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    return { size, digest: `sha256:${hash.digest("hex")}` };
  }

  putNow(key: string, bytes: Uint8Array): { size: number; digest: string } {
    const target = this.#path(key);
    mkdirSync(dirname(target), { recursive: true });
    const tmp = join(dirname(target), `.tmp-${randomBytes(6).toString("hex")}`);
    try {
      writeFileSync(tmp, bytes);
      renameSync(tmp, target);
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        // not written
      }
      throw e;
    }
    return { size: bytes.byteLength, digest: `sha256:${createHash("sha256").update(bytes).digest("hex")}` };
  }

  async *open(key: string): AsyncIterable<Uint8Array> {
    for await (const chunk of createReadStream(this.#path(key))) yield chunk as Uint8Array;
  }

  async read(key: string): Promise<Uint8Array> {
    return readFile(this.#path(key));
  }

  async deletePrefix(prefix: string): Promise<void> {
    await rm(this.#path(prefix), { recursive: true, force: true });
  }

  async exists(key: string): Promise<boolean> {
    return access(this.#path(key)).then(
      () => true,
      () => false,
    );
  }
}
