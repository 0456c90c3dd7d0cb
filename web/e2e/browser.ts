import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext } from "playwright-core";

/** Debian's Chromium: the one browser the page is tested in. */
export const CHROMIUM = process.env.LABBOOK_CHROMIUM ?? "/usr/bin/chromium";

/** Flags for a headless Chromium on a closed network (no background traffic, no first-run work). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const WEB_DIST = join(ROOT, "dist/web");

/** The newest modification time of the files under a folder. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the page into dist/web when it is missing or older than its sources (`npm run build` does it too). */
export async function ensureWebBuilt(): Promise<void> {
  const index = join(WEB_DIST, "index.html");
  const sources = Math.max(newest(join(ROOT, "web/src")), statSync(join(ROOT, "web/index.html")).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const { build } = await import("vite");
  await build({ configFile: join(ROOT, "web/vite.config.ts"), logLevel: "warn" });
}

/** Chromium with a new, empty user-data dir; `close` removes it. */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "labbook-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Where the tests' screenshots go (`.e2e-screenshots/`, ignored by git). */
export function screenshotDir(): string {
  const dir = join(ROOT, ".e2e-screenshots");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** docs/ when `LABBOOK_DOCS_SCREENSHOTS=1` asks for the README's pictures to be taken again. */
export const DOCS_DIR = process.env.LABBOOK_DOCS_SCREENSHOTS === "1" ? join(ROOT, "docs") : null;
