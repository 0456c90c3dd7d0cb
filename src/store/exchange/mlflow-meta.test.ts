import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { flatMeta, mlflowMeta } from "./mlflow-meta.js";
import { mlflowFixtures } from "./test-support/fixtures.js";

const failsafe = (text: string) => parse(text, { schema: "failsafe" }) as unknown;

describe("meta.yaml of MLflow's file store", () => {
  it("reads every meta.yaml MLflow 2.9.2 wrote by hand, as YAML's failsafe schema reads it", () => {
    const root = join(mlflowFixtures(), "mlruns");
    const metas = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((p) =>
      p.endsWith("meta.yaml"),
    );
    expect(metas.length).toBeGreaterThan(5);
    for (const p of metas) {
      const text = readFileSync(join(root, p), "utf8");
      expect(flatMeta(text), p).not.toBeNull();
      expect(flatMeta(text), p).toEqual(failsafe(text));
    }
  });

  it("leaves any other shape to the YAML parser, with the same result", () => {
    const texts = [
      "run_id: 12345678901234567890123456789e12\nstatus: 3\n",
      "name: 'it''s'\nx: ''\r\ny: a b  \n",
      'name: "double quoted"\n',
      "name: a: b\n",
      "name: a:\n",
      "name: ~\nother: a#b\n",
      "name: a # comment\n",
      "# comment\nname: a\n",
      "tags:\n- a\n- b\n",
      "name: >\n  folded\n",
      "name: -1\n",
      "name: 'unclosed\n",
      "name: x\nname: y\n",
      "name:\n",
      "---\nname: a\n",
      "name: [a, b]\n",
      "name: {a: 1}\n",
      "name: &anchor a\n",
      "",
    ];
    for (const text of texts) {
      const flat = flatMeta(text);
      if (flat !== null && text.trim() !== "") expect(flat, text).toEqual(failsafe(text));
      let want: unknown;
      try {
        const v = failsafe(text);
        want = v !== null && typeof v === "object" && !Array.isArray(v) ? v : null;
      } catch {
        expect(() => mlflowMeta(text), text).toThrow();
        continue;
      }
      expect(mlflowMeta(text), text).toEqual(want);
    }
    expect(flatMeta('name: "q"\n')).toBeNull();
    expect(flatMeta("name: a: b\n")).toBeNull();
  });
});
