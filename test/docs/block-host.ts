/**
 * Runs the TypeScript blocks of the docs one after the other in this one process (started
 * with `--import tsx`): each message names a block's file; the block is imported, and the
 * answer says whether it ran (an error it threw, or a promise it left rejected, fails it).
 */
import { pathToFileURL } from "node:url";

let current: ((e: unknown) => void) | null = null;
process.on("unhandledRejection", (e) => current?.(e));
process.on("uncaughtException", (e) => current?.(e));

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ""}` : String(e);
}

process.on("message", async (m: { file: string }) => {
  let failure: unknown = null;
  current = (e) => {
    failure ??= e;
  };
  try {
    await import(pathToFileURL(m.file).href);
    // Let un-awaited work of the block settle before judging it.
    await new Promise((r) => setTimeout(r, 200));
  } catch (e) {
    failure ??= e;
  }
  current = null;
  process.send!(failure === null ? { ok: true } : { ok: false, error: describe(failure) });
});
process.send!({ ready: true });
