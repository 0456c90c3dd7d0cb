#!/usr/bin/env node
import { runCli } from "./program.js";

// A closed pipe (`labbook runs --json | head`) ends the output quietly, as Unix tools do.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code !== "EPIPE") throw e;
  process.exit(0);
});
process.exitCode = await runCli(process.argv);
