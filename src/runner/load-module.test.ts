import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { defineExperiment } from "./define.js";
import { experimentExport, loadExperimentModule } from "./load-module.js";

const experiment = defineExperiment({ name: "mod", params: { x: [1] }, run: async () => undefined });
const dir = mkdtempSync(join(tmpdir(), "labbook-load-module-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("experimentExport", () => {
  it("takes the named export of an ES module", () => {
    expect(experimentExport({ default: experiment }, "default")).toBe(experiment);
    expect(experimentExport({ grid: experiment }, "grid")).toBe(experiment);
  });

  it("looks into module.exports of a CommonJS module written with export syntax (tsx in a CommonJS package)", () => {
    // import() of such a module gives { default: module.exports }, module.exports = { default, ... }
    expect(experimentExport({ default: { default: experiment } }, "default")).toBe(experiment);
    expect(experimentExport({ default: { grid: experiment } }, "grid")).toBe(experiment);
  });

  it("gives the plain export (or undefined) when no experiment is found", () => {
    expect(experimentExport({ default: { x: 1 } }, "default")).toEqual({ x: 1 });
    expect(experimentExport({}, "default")).toBeUndefined();
    expect(experimentExport({ default: null }, "grid")).toBeUndefined();
  });
});

describe("loadExperimentModule", () => {
  it("loads a module's experiment by export name and sets its module URL", async () => {
    const file = join(dir, "named.mjs");
    const define = pathToFileURL(join(import.meta.dirname, "define.ts")).href;
    writeFileSync(
      file,
      `import { defineExperiment } from ${JSON.stringify(define)};
export const grid = defineExperiment({ name: "named", params: { x: [1, 2] }, run: async () => 1 });\n`,
    );
    const e = await loadExperimentModule(file, "grid");
    expect(e.name).toBe("named");
    expect(e.exportName).toBe("grid");
    expect(String(e.module)).toBe(pathToFileURL(file).href);
    await expect(loadExperimentModule(file)).rejects.toThrow(
      /must export an experiment .* as its default export/,
    );
  });
});
