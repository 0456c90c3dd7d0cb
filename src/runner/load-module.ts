import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { invalid, LabbookError } from "../core/errors.js";
import { defineExperiment, isExperiment } from "./define.js";
import type { Experiment } from "./types.js";

/** Errors of a module that needs ES modules but is loaded as CommonJS (top-level await). */
const NEEDS_ESM =
  /Top-level await is currently not supported with the "cjs" output format|ERR_REQUIRE_ASYNC_MODULE/;

/** A clear error for a module that needs ESM in a CommonJS package; other errors as they are. */
function explainEsm(e: unknown, file: string): unknown {
  const text = `${(e as { code?: unknown })?.code ?? ""} ${(e as Error)?.message ?? ""}`;
  if (!NEEDS_ESM.test(text)) return e;
  return new LabbookError(
    "INVALID_ARGUMENT",
    `file: ${file} needs ES modules (it uses top-level await) but is loaded as CommonJS, since its package.json has no "type": "module"; rename it to .mts (or .mjs), add "type": "module" to package.json, or move the await into the run function`,
    { field: "file", cause: e },
  );
}

async function importWithTypeScript(url: string, isTs: boolean): Promise<Record<string, unknown>> {
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (!isTs || code !== "ERR_UNKNOWN_FILE_EXTENSION") throw e;
  }
  let api: { register(): unknown };
  let cjs: { register(): unknown };
  try {
    api = (await import("tsx/esm/api")) as { register(): unknown };
    cjs = (await import("tsx/cjs/api")) as { register(): unknown };
  } catch {
    throw new LabbookError(
      "INVALID_ARGUMENT",
      `file: ${url} is TypeScript and no TypeScript loader is available; install tsx (npm i -D tsx), run node --import tsx, or compile it to .js`,
      { field: "file" },
    );
  }
  // Both hooks, as `node --import tsx` does: a `.ts` file of a CommonJS package (no
  // `"type": "module"`) is compiled to CommonJS and loaded by the require hooks.
  cjs.register();
  api.register();
  // The failed import is cached by its URL: import the file again under a fresh one.
  return (await import(`${url}?labbook-ts`)) as Record<string, unknown>;
}

/**
 * The export `exportName` of an imported module. A module of a CommonJS package written with
 * `export default` / `export const` (a `.ts` file compiled to CommonJS by tsx) imports as
 * `{ default: module.exports }`: its exports are then looked up in `module.exports`.
 *
 * @example
 * experimentExport({ default: { default: experiment } }, "default"); // experiment
 */
export function experimentExport(mod: Record<string, unknown>, exportName: string): unknown {
  const direct = mod[exportName];
  if (isExperiment(direct)) return direct;
  const exports = mod.default;
  if (
    exports !== null &&
    typeof exports === "object" &&
    isExperiment((exports as Record<string, unknown>)[exportName])
  ) {
    return (exports as Record<string, unknown>)[exportName];
  }
  return direct;
}

/**
 * Imports an experiment module (`.js`/`.mjs`, or `.ts` when tsx is installed: it is registered
 * on demand) and returns its experiment: the export `exportName` (default `default`), with
 * `module` set to the file so that it can run in workers.
 *
 * @example
 * const experiment = await loadExperimentModule("./experiments/sweep.ts");
 */
export async function loadExperimentModule(file: string, exportName = "default"): Promise<Experiment> {
  const path = resolve(file);
  if (!existsSync(path)) throw invalid("file", "must name an existing module file", file);
  const url = pathToFileURL(path).href;
  let mod: Record<string, unknown>;
  try {
    mod = await importWithTypeScript(url, /\.(c|m)?tsx?$/.test(path));
  } catch (e) {
    throw explainEsm(e, file);
  }
  const experiment = experimentExport(mod, exportName);
  if (!isExperiment(experiment)) {
    throw invalid(
      "file",
      `must export an experiment made by defineExperiment as its ${exportName === "default" ? "default export" : `export "${exportName}"`}`,
      file,
    );
  }
  return defineExperiment({ ...experiment, module: experiment.module ?? url, exportName });
}
