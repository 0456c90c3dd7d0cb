import { Command, CommanderError } from "commander";
import { COMMANDS } from "./commands/index.js";
import { CliExit, reportError } from "./context.js";

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
