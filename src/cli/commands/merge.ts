import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { LabbookError } from "../../core/errors.js";
import type { MergeReport } from "../../store/execution-methods.js";
import { openStore } from "../../store/open-store.js";
import { ARTIFACTS_HELP, openGlobalStore, out } from "../context.js";
import { jsonText } from "../json-out.js";

interface MergeCliOptions {
  into?: string;
  artifacts?: string;
  json?: boolean;
  progress?: boolean;
}

/**
 * `labbook merge OTHER [--into TARGET] [--json]`: copies into the target store (`--into`, else
 * `--store`) every run, row, series, artifact, data, derived value, metric definition, execution
 * and saved object of another store that it lacks (idempotent: a second merge copies nothing),
 * with a progress bar on a terminal, and prints the counts. The other store keeps reading its
 * own artifacts; the target's go where `--artifacts` (or `$LABBOOK_ARTIFACTS`) says.
 *
 * @example
 * labbook merge ./node7/labbook --into postgres://lab@db:5432/lab --artifacts s3://team/labbook
 */
export function registerMerge(program: Command): void {
  program
    .command("merge")
    .description("merge another store (a folder or URI) into this one (or --into another), idempotently")
    .argument("<other>", "the other store's folder (or URI)")
    .option("--into <uri>", "the store to merge into (default: --store)")
    .option("--artifacts <uri>", ARTIFACTS_HELP)
    .option("--json", "print the counts as JSON")
    .option("--no-progress", "no progress bar (it is drawn only on a terminal anyway)")
    .action(async (other: string, opts: MergeCliOptions, cmd: Command) => {
      const embedded = checkStoreExists(other);
      const target = await openGlobalStore(cmd, opts.into);
      try {
        // An embedded source reads its own artifact folder, whatever $LABBOOK_ARTIFACTS says.
        const source = await openStore(other, embedded ? { artifacts: join(embedded, "artifacts") } : {});
        try {
          const bar = opts.progress !== false && !opts.json ? progressBar(process.stderr) : undefined;
          const report = await target.merge(source, bar ? { progress: bar.update } : {});
          bar?.end();
          out(opts.json ? jsonText(report) : summary(report));
        } finally {
          await source.close();
        }
      } finally {
        await target.close();
      }
    });
}

/** The counts of a merge in one line. */
export function summary(report: MergeReport): string {
  const parts = Object.entries(report)
    .filter(([k, n]) => n > 0 && k !== "runsSkipped")
    .map(([k, n]) => `${n} ${k}`);
  const skipped = `${report.runsSkipped} runs already here`;
  return parts.length === 0
    ? `nothing to merge: every record is already here (${skipped})`
    : `merged ${parts.join(", ")}; ${skipped}`;
}

/** A one-line bar on a terminal (`undefined` elsewhere), redrawn at most 10 times a second. */
function progressBar(stream: NodeJS.WriteStream) {
  if (!stream.isTTY) return undefined;
  let last = 0;
  let shown = false;
  const draw = (done: number, total: number) => {
    const width = 30;
    const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
    stream.write(`\rmerging [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} runs`);
    shown = true;
  };
  return {
    update(done: number, total: number) {
      const now = Date.now();
      if (done < total && now - last < 100) return;
      last = now;
      draw(done, total);
    },
    end() {
      if (shown) stream.write("\n");
    },
  };
}

/**
 * The other store must exist: opening a folder path creates an empty store there, so a
 * mistyped path would "merge" nothing and leave a stray store behind. URIs of other schemes
 * (`http://`, `postgres://`) are checked by their store. Returns the folder of an embedded store.
 */
function checkStoreExists(other: string): string | null {
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
  return path;
}
