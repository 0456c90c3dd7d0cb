// After `npm ci` in a clone (the `prepare` script): links the package's own `labbook` bin into
// node_modules/.bin, as npm does for a dependency's bins, so that `npx labbook` runs this
// checkout's CLI (npx does not link the bins of the package it runs in).
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, unlinkSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bins = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).bin ?? {};
const dir = join(root, "node_modules", ".bin");
if (!existsSync(join(root, "node_modules"))) process.exit(0); // nothing installed here
mkdirSync(dir, { recursive: true });
for (const [name, target] of Object.entries(bins)) {
  const to = join(root, target);
  const link = join(dir, name);
  try {
    if (lstatSync(link)) unlinkSync(link);
  } catch {}
  symlinkSync(relative(dir, to), link);
  if (existsSync(to)) chmodSync(to, 0o755);
}
