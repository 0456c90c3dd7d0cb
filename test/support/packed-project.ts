/**
 * A project that installs labbook from its packed tarball (`npm pack`), offline: the project's
 * lockfile is written from this checkout's (labbook's dependencies and the extra packages
 * asked for, at the versions the checkout locks), so `npm ci --offline` takes every tarball
 * from the npm cache. Install scripts are not run; better-sqlite3's native module is copied
 * from this checkout instead of being compiled again (minutes on a small machine).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "..", "..");

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  dev?: boolean;
  devOptional?: boolean;
  [k: string]: unknown;
}

/** Fails with what to do when the package has not been built (npm ci builds it: `prepare`). */
export function requireBuilt(): void {
  for (const f of ["dist/index.js", "dist/index.cjs", "dist/cli/main.js"]) {
    if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing: run npm run build (npm ci runs it)`);
  }
}

/** The lock entries needed by `names` (hoisted the way this checkout's lock hoists them). */
function closure(packages: Record<string, LockEntry>, names: readonly string[]): Map<string, LockEntry> {
  const find = (from: string, name: string): string | undefined => {
    let base = from;
    for (;;) {
      const key = `${base ? `${base}/` : ""}node_modules/${name}`;
      if (packages[key]) return key;
      if (!base) return undefined;
      const at = base.lastIndexOf("/node_modules/");
      base = at >= 0 ? base.slice(0, at) : "";
    }
  };
  const out = new Map<string, LockEntry>();
  const stack = names.map((n) => find("", n));
  while (stack.length > 0) {
    const key = stack.pop();
    if (key === undefined || out.has(key)) continue;
    const { dev: _d, devOptional: _o, ...entry } = packages[key]!;
    out.set(key, entry);
    for (const d of [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
    ]) {
      stack.push(find(key, d));
    }
  }
  return out;
}

/**
 * Packs this checkout (as built) into `dir` and installs the tarball into `dir/proj`, a
 * project whose package.json is `pkg` (no `"type"` unless given), with `devPackages` (such as
 * tsx) as dev dependencies. Returns the project's folder.
 */
export function packedProject(dir: string, pkg: Record<string, unknown>, devPackages: string[] = []): string {
  requireBuilt();
  const packed = execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", dir], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .trim()
    .split("\n")
    .pop()!;
  const tarball = join(dir, packed);
  const proj = join(dir, "proj");
  mkdirSync(proj, { recursive: true });
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const self = lock.packages[""]!;
  const deps = Object.keys(self.dependencies ?? {});
  const spec = `file:../${packed}`;
  const devDependencies = Object.fromEntries(
    devPackages.map((n) => [n, lock.packages[`node_modules/${n}`]!.version!]),
  );
  const packages: Record<string, unknown> = {
    "": { ...pkg, dependencies: { labbook: spec }, devDependencies },
    "node_modules/labbook": {
      version: self.version,
      resolved: spec,
      integrity: `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`,
      dependencies: self.dependencies,
      bin: self.bin,
    },
  };
  for (const [key, entry] of closure(lock.packages, [...deps, ...devPackages])) packages[key] = entry;
  writeFileSync(
    join(proj, "package.json"),
    JSON.stringify({ ...pkg, dependencies: { labbook: spec }, devDependencies }),
  );
  writeFileSync(
    join(proj, "package-lock.json"),
    JSON.stringify({ name: pkg.name, version: pkg.version, lockfileVersion: 3, requires: true, packages }),
  );
  execFileSync("npm", ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], {
    cwd: proj,
    encoding: "utf8",
    stdio: "pipe",
  });
  const native = "node_modules/better-sqlite3/build/Release/better_sqlite3.node";
  mkdirSync(join(proj, native, ".."), { recursive: true });
  copyFileSync(join(ROOT, native), join(proj, native));
  return proj;
}
