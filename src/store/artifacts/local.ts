import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { access, mkdir, readdir, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { LabbookError } from "../../core/errors.js";
import type { ArtifactBlobStore, BlobEntry } from "./types.js";

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

  async *open(key: string): AsyncIterable<Uint8Array> {
    for await (const chunk of createReadStream(this.#path(key))) yield chunk as Uint8Array;
  }

  async read(key: string): Promise<Uint8Array> {
    return readFile(this.#path(key));
  }

  async deletePrefix(prefix: string): Promise<void> {
    await rm(this.#path(prefix), { recursive: true, force: true });
  }

  async *list(prefix: string): AsyncIterable<BlobEntry> {
    const slash = prefix.lastIndexOf("/");
    const folder = slash < 0 ? "" : prefix.slice(0, slash);
    const start = folder ? this.#path(folder) : this.root;
    const walk = async function* (dir: string, rel: string): AsyncIterable<BlobEntry> {
      const names = (await readdir(dir).catch(() => [] as string[])).sort();
      for (const name of names) {
        if (name.startsWith(".tmp-")) continue;
        const key = rel ? `${rel}/${name}` : name;
        const st = await stat(join(dir, name)).catch(() => null);
        if (st?.isDirectory()) yield* walk(join(dir, name), key);
        else if (st?.isFile() && key.startsWith(prefix)) yield { key, size: st.size };
      }
    };
    yield* walk(start, folder);
  }

  async exists(key: string): Promise<boolean> {
    return access(this.#path(key)).then(
      () => true,
      () => false,
    );
  }
}
