import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { COMMANDS } from "./commands/index.js";
import { CliExit, reportError } from "./context.js";

/** This package's version, from its package.json (two folders up from src/cli and dist/cli). */
function packageVersion(): string {
  const url = new URL("../../package.json", import.meta.url);
  return (JSON.parse(readFileSync(url, "utf8")) as { version: string }).version;
}

/**
 * Builds the `labbook` program: the global `--store` option and every command of
 * `commands/index.ts`.
 */
export function buildProgram(): Command {
  const program = new Command("labbook")
    .description("The results store for experiments: record runs, query, aggregate, compare and export them.")
    .option(
      "--store <uri>",
      "store path or URI: a folder, postgres://... or http(s)://... (default: $LABBOOK_URL, $LABBOOK_STORE or ./labbook)",
    )
    // `-V, --version` is read in runCli before the commands: a program option would take the
    // `--version <semver>` of export, exports and import away from them.
    .addHelpText("after", "\n  -V, --version    print labbook's version (before any command)")
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/**
 * Runs the CLI on `argv` (as `process.argv`) and returns the exit code. A user error prints
 * one line on stderr and returns non-zero; no stack trace is printed.
 *
 * @example
 * process.exitCode = await runCli(["node", "labbook", "runs", "--json"]);
 */
export async function runCli(argv: string[]): Promise<number> {
  const first = argv[2];
  if (first === "--version" || first === "-V") {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CliExit) return e.code;
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    return reportError(e);
  }
}
