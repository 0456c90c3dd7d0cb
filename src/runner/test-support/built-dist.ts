import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The repository's root (where package.json and dist/ are). */
export const ROOT = join(import.meta.dirname, "..", "..", "..");

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/**
 * The built package (`dist/`), as `npm run build` makes it: built first when absent or older than
 * a source file, so a test of the built package tests the sources it sits beside.
 *
 * @example
 * const dist = builtDist(); // "<root>/dist"
 */
export function builtDist(): string {
  const index = join(ROOT, "dist", "index.js");
  if (!existsSync(index) || statSync(index).mtimeMs < newest(join(ROOT, "src"))) {
    execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
  }
  return join(ROOT, "dist");
}
