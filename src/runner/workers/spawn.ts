import { fork } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { FromWorker, ToWorker } from "./protocol.js";

/** One worker as the invoker sees it, whatever it runs in. */
export interface WorkerChannel {
  send(m: ToWorker): void;
  onMessage(fn: (m: FromWorker) => void): void;
  /** Called once when the worker is gone (exit code, or null when killed). */
  onExit(fn: (code: number | null) => void): void;
  kill(): void;
}

export interface WorkerSetup {
  module: string;
  exportName: string;
  labbookRunner: true;
}

const here = import.meta.url;
/** The worker entry beside this file: `.ts` when labbook runs from its sources (tsx, vitest). */
const ENTRY = new URL(here.endsWith(".ts") ? "./worker-main.ts" : "./worker-main.js", here);

function needsTypeScript(moduleUrl: string): boolean {
  return ENTRY.href.endsWith(".ts") || /\.(c|m)?tsx?$/.test(moduleUrl.replace(/[?#].*$/, ""));
}

/** The file URLs of tsx's ESM and CommonJS APIs and its loader, or null when tsx is not installed. */
function tsx(): { api: string; cjsApi: string; loader: string } | null {
  try {
    const req = createRequire(here);
    const dir = dirname(req.resolve("tsx/package.json"));
    return {
      api: pathToFileURL(join(dir, "dist/esm/api/index.mjs")).href,
      cjsApi: pathToFileURL(join(dir, "dist/cjs/api/index.mjs")).href,
      loader: pathToFileURL(req.resolve("tsx")).href,
    };
  } catch {
    return null;
  }
}

function threadChannel(setup: WorkerSetup): WorkerChannel {
  const ts = needsTypeScript(setup.module) ? tsx() : null;
  const boot = `(async () => {
  ${ts ? `(await import(${JSON.stringify(ts.cjsApi)})).register(); (await import(${JSON.stringify(ts.api)})).register();` : ""}
  await import(${JSON.stringify(ENTRY.href)});
})().catch((e) => require("node:worker_threads").parentPort.postMessage({ t: "fatal", error: { name: e.name, message: e.message, stack: e.stack ?? null } }));`;
  const w = new Worker(boot, { eval: true, workerData: setup });
  return {
    send: (m) => w.postMessage(m),
    onMessage: (fn) => w.on("message", fn),
    onExit: (fn) => w.once("exit", (code) => fn(code)),
    kill: () => void w.terminate(),
  };
}

function processChannel(setup: WorkerSetup): WorkerChannel {
  const ts = needsTypeScript(setup.module) ? tsx() : null;
  const inherited = process.execArgv.filter((a) => !a.startsWith("--inspect"));
  const hasTsx = inherited.some((a) => a.includes("tsx"));
  const execArgv = ts && !hasTsx ? [...inherited, "--import", ts.loader] : inherited;
  const child = fork(fileURLToPath(ENTRY), [], {
    execArgv,
    env: { ...process.env, LABBOOK_WORKER: JSON.stringify(setup) },
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return {
    send: (m) => {
      if (child.connected) child.send(m);
    },
    onMessage: (fn) => child.on("message", (m) => fn(m as FromWorker)),
    onExit: (fn) => child.once("exit", (code) => fn(code)),
    kill: () => {
      child.kill("SIGKILL");
    },
  };
}

/** Starts a worker thread or child process that will run the experiment of `setup.module`. */
export function spawnWorker(kind: "threads" | "processes", setup: WorkerSetup): WorkerChannel {
  return kind === "threads" ? threadChannel(setup) : processChannel(setup);
}

/**
 * True inside a runner worker: a module that both defines and launches its experiment can skip
 * the launch there (`if (!isRunnerWorker()) await runExperiment(...)`).
 *
 * @example
 * if (!isRunnerWorker()) await runExperiment(experiment, { workers: "threads", concurrency: 4 });
 */
export function isRunnerWorker(): boolean {
  return process.env.LABBOOK_WORKER !== undefined || globalThis.__labbookRunnerWorker === true;
}

declare global {
  var __labbookRunnerWorker: boolean | undefined;
}
