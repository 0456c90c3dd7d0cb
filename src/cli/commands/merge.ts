import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { LabbookError } from "../../core/errors.js";
import { openStore } from "../../store/open-store.js";
import { out, withStore } from "../context.js";
import { jsonText } from "../json-out.js";

/**
 * `labbook merge OTHER_STORE_DIR [--json]`: copies into the store every run, row, series,
 * artifact, data, derived value, metric definition, execution and saved object of another
 * store that it lacks (idempotent: a second merge copies nothing), and prints the counts.
 *
 * @example
 * labbook --store ./labbook merge ./node7/labbook
 */
export function registerMerge(program: Command): void {
  program
    .command("merge")
    .description("merge another store (a folder or URI) into this one, idempotently")
    .argument("<other>", "the other store's folder (or URI)")
    .option("--json", "print the counts as JSON")
    .action((other: string, opts: { json?: boolean }, cmd: Command) =>
      withStore(cmd, async (store) => {
        checkStoreExists(other);
        const source = await openStore(other);
        try {
          const report = await store.merge(source);
          if (opts.json) return out(jsonText(report));
          const parts = Object.entries(report)
            .filter(([k, n]) => n > 0 && k !== "runsSkipped")
            .map(([k, n]) => `${n} ${k}`);
          const skipped = `${report.runsSkipped} runs already here`;
          out(
            parts.length === 0
              ? `nothing to merge: every record is already here (${skipped})`
              : `merged ${parts.join(", ")}; ${skipped}`,
          );
        } finally {
          await source.close();
        }
      }),
    );
}

/**
 * The other store must exist: opening a folder path creates an empty store there, so a
 * mistyped path would "merge" nothing and leave a stray store behind. URIs of other schemes
 * (`http://`, `postgres://`) are checked by their store.
 */
function checkStoreExists(other: string): void {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(other)?.[1]?.toLowerCase();
  const embedded = !scheme || scheme.length === 1;
  const path = embedded
    ? other
    : scheme === "sqlite" || scheme === "file"
      ? other.slice(scheme.length + 1).replace(/^\/\/(?=\/)/, "")
      : null;
  if (path !== null && !existsSync(join(path, "labbook.db"))) {
    throw new LabbookError(
      "NOT_FOUND",
      `other: no labbook store in ${JSON.stringify(other)} (no labbook.db there)`,
      {
        field: "other",
      },
    );
  }
}
