import { createHash, randomBytes } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { access, mkdir, readdir, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { LabbookError } from "../../core/errors.js";
import type { ArtifactBlobStore, BlobEntry } from "./types.js";

/** Where writes are staged: one folder, so that leftovers are found without walking every run's. */
const STAGING = ".tmp";
/** A staged file untouched this long is a leftover whatever wrote it (another machine's, say). */
const SAFE_AGE_MS = 60 * 60 * 1000;
/** This machine, in staged file names: a process id means something only on the machine that wrote it. */
const HOST = createHash("sha256").update(hostname()).digest("hex").slice(0, 8);
/** `.tmp-<pid>-<host>-<random>` */
const STAGED_RE = /^\.tmp-(\d+)-([0-9a-f]{8})-[0-9a-f]+$/;

/**
 * Artifacts in a local folder: `<root>/<runKey>/<name>`. Writes go to a temporary file
 * (`<root>/.tmp/.tmp-<pid>-<host>-<random>`) then are renamed, so a reader never sees half an
 * artifact; {@link LocalBlobStore.removeLeftovers} removes those a killed writer left. Keys are
 * checked to stay inside the root.
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
    const staging = join(this.root, STAGING);
    await mkdir(staging, { recursive: true });
    const tmp = join(staging, `.tmp-${process.pid}-${HOST}-${randomBytes(6).toString("hex")}`);
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

  /** {@link put} synchronously, staged and renamed the same way (for a process that is exiting). */
  putNow(key: string, bytes: Uint8Array): { size: number; digest: string } {
    const target = this.#path(key);
    mkdirSync(dirname(target), { recursive: true });
    const staging = join(this.root, STAGING);
    mkdirSync(staging, { recursive: true });
    const tmp = join(staging, `.tmp-${process.pid}-${HOST}-${randomBytes(6).toString("hex")}`);
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

  /**
   * Removes the temporary files of writes that never finished: those of a process of this
   * machine that no longer runs (killed while it wrote), and any untouched for an hour. A file
   * another live process is writing is left alone. Returns how many were removed.
   *
   * @example
   * await new LocalBlobStore("./labbook/artifacts").removeLeftovers(); // 0 after a clean exit
   */
  async removeLeftovers(): Promise<number> {
    const staging = join(this.root, STAGING);
    const names = await readdir(staging).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      if (!name.startsWith(".tmp-")) continue;
      const file = join(staging, name);
      const m = STAGED_RE.exec(name);
      let leftover = m !== null && m[2] === HOST && !processRuns(Number(m[1]));
      if (!leftover) {
        const st = await stat(file).catch(() => null);
        leftover = st !== null && Date.now() - st.mtimeMs > SAFE_AGE_MS;
      }
      if (
        leftover &&
        (await unlink(file).then(
          () => true,
          () => false,
        ))
      )
        removed++;
    }
    return removed;
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
        if (name.startsWith(".tmp")) continue; // the staging folder and staged files
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

/** Whether a process of this machine runs (`EPERM`: it does, as another user). */
function processRuns(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
