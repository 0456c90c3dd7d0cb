import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packedProject, ROOT } from "../support/packed-project.js";

let dir: string;
let proj: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "labbook-cjs-"));
  // A CommonJS project: its package.json has no "type": "module".
  proj = packedProject(dir, { name: "cjs-user", version: "1.0.0", private: true }, ["tsx"]);
}, 240_000);
// The project holds a node_modules: removing it takes a while on a loaded machine.
afterAll(() => rm(dir, { recursive: true, force: true }), 240_000);

function node(args: string[], input?: string) {
  const r = spawnSync(process.execPath, args, {
    cwd: proj,
    encoding: "utf8",
    input,
    env: { ...process.env, LABBOOK_DEBUG: "", NO_COLOR: "1" },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The installed bin, as `npx labbook` runs it in the project. */
const labbook = (...args: string[]) => node([join(proj, "node_modules", ".bin", "labbook"), ...args]);

describe("the packed package in a CommonJS project", () => {
  it('require("labbook") gives the same module as import, and it records runs', () => {
    writeFileSync(
      join(proj, "use.cjs"),
      `const { openStore, LabbookError } = require("labbook");
(async () => {
  const store = await openStore("./lb-require");
  const run = await store.startRun({ experiment: "from-cjs", params: { lr: 0.1 } });
  await run.logMetrics({ acc: 0.9 });
  await run.finish();
  const rec = await store.getRun(run.runId);
  const esm = await import("labbook");
  let code = null;
  try { await store.getRun("nope"); } catch (e) { code = e instanceof LabbookError ? e.code : "other"; }
  console.log(JSON.stringify({ status: rec.status, acc: rec.metrics.acc, same: esm.LabbookError === LabbookError, code }));
  await store.close();
})();
`,
    );
    const r = node(["use.cjs"]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ status: "success", acc: 0.9, same: true, code: "NOT_FOUND" });
    // the package declares both conditions
    const pkg = JSON.parse(readFileSync(join(proj, "node_modules/labbook/package.json"), "utf8"));
    expect(pkg.exports["."]).toMatchObject({ import: "./dist/index.js", require: "./dist/index.cjs" });
  });

  it("labbook run exp.ts runs a TypeScript experiment of a CommonJS project", () => {
    writeFileSync(
      join(proj, "exp.ts"),
      `import { defineExperiment } from "labbook";

export default defineExperiment({
  name: "cjs-sweep",
  params: { lr: [0.1, 0.01] },
  run: async ({ params, capture }) => {
    await capture.metrics({ acc: 0.9 - (params.lr as number) });
  },
});
`,
    );
    const r = labbook("--store", "./lb", "run", "exp.ts", "--no-progress");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 success, 0 failed/);
    const runs = JSON.parse(labbook("--store", "./lb", "runs", "--json").stdout) as {
      metrics: { acc: number };
    }[];
    expect(runs.map((x) => x.metrics.acc).sort()).toEqual([0.8, 0.89]);
  });

  it("a module that needs ESM (top-level await) in a CommonJS project gets an error saying how to fix it", () => {
    writeFileSync(
      join(proj, "tla.ts"),
      `import { defineExperiment } from "labbook";
const lrs = await Promise.resolve([0.1]);
export default defineExperiment({ name: "tla", params: { lr: lrs }, run: async () => {} });
`,
    );
    const r = labbook("--store", "./lb", "run", "tla.ts");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^labbook: file: tla\.ts needs ES modules \(it uses top-level await\)/);
    expect(r.stderr).toMatch(/rename it to \.mts .*add "type": "module" to package\.json/);
    expect(r.stderr).not.toMatch(/\bat .*:\d+:\d+/);
  });

  it("on a Node without require(esm), require says what to do instead", () => {
    // The CommonJS entry run with a require that fails as Node before 20.19 does.
    const source = readFileSync(join(ROOT, "dist/index.cjs"), "utf8");
    const fakeRequire = () => {
      throw Object.assign(new Error("require() of ES Module"), { code: "ERR_REQUIRE_ESM" });
    };
    const load = new Function("module", "exports", "require", "process", source);
    expect(() => load({ exports: {} }, {}, fakeRequire, { version: "v20.11.0" })).toThrow(
      /labbook is an ES module: require\("labbook"\) needs Node 20\.19 or later \(this is v20\.11\.0\)\. Upgrade Node, or load it with `const labbook = await import\("labbook"\)`/,
    );
  });
});
