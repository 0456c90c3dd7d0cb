import { describe, expect, it } from "vitest";
import { LabbookError } from "../core/errors.js";
import { compositeNames } from "./composite-ast.js";
import { compileComposite } from "./composite-eval.js";
import { parseComposite } from "./composite-parse.js";

const run = (expr: string, scores: Record<string, number> = {}, metrics: Record<string, number> = {}) =>
  compileComposite(parseComposite(expr))({ scores, metrics });

function error(expr: string): LabbookError {
  try {
    parseComposite(expr);
  } catch (e) {
    if (e instanceof LabbookError) return e;
    throw e;
  }
  throw new Error(`no error for ${expr}`);
}

describe("composite expressions", () => {
  it("weights scores: 0.7 * correct + 0.3 * fluency", () => {
    expect(run("0.7 * scores.correct + 0.3 * scores.fluency", { correct: 1, fluency: 0.5 })).toBeCloseTo(
      0.85,
      15,
    );
  });

  it("follows precedence and left associativity", () => {
    expect(run("1 + 2 * 3")).toBe(7);
    expect(run("(1 + 2) * 3")).toBe(9);
    expect(run("10 - 4 - 3")).toBe(3);
    expect(run("64 / 4 / 2")).toBe(8);
    expect(run("2 * 3 - 8 / 4 + 1")).toBe(5);
    expect(run("-2 * -3")).toBe(6);
    expect(run("- (1 + 2) * 2")).toBe(-6);
    expect(run("1 - -1")).toBe(2);
    expect(run("+3 - .5e1")).toBe(-2);
  });

  it("calls min, max and abs, reading scores and metrics (quoted names too)", () => {
    expect(run("min(scores.a, scores.b, 1)", { a: 3, b: 2 })).toBe(1);
    expect(run("max(scores.a, metrics.acc * 10)", { a: 3 }, { acc: 0.9 })).toBe(9);
    expect(run("abs(scores.a - scores.b)", { a: 1, b: 4 })).toBe(3);
    expect(run('scores["judge fluency"] + scores.judge:x', { "judge fluency": 1, "judge:x": 2 })).toBe(3);
  });

  it("gives NaN for division by zero (0/0, x/0, x/-0) and propagates NaN and missing values", () => {
    expect(run("1 / 0")).toBeNaN();
    expect(run("0 / 0")).toBeNaN();
    expect(run("scores.a / scores.b", { a: -1, b: -0 })).toBeNaN();
    expect(run("max(scores.a, 1)", { a: Number.NaN })).toBeNaN();
    expect(run("scores.missing + 1")).toBeNaN();
  });

  it("lists the names it reads", () => {
    expect(compositeNames(parseComposite("scores.a + metrics.b * scores.a - min(scores.c)"))).toEqual({
      scores: ["a", "c"],
      metrics: ["b"],
    });
  });

  it("reports syntax errors with their 1-based position", () => {
    const e = error("1 +* 2");
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.details).toMatchObject({ position: 4, received: "*" });
    expect(e.message).toMatch(/at position 4, found "\*"/);
    expect(error("(scores.a + 1").details).toMatchObject({ position: 14, expected: '")"', received: "" });
    expect(error("scores.a scores.b").details).toMatchObject({ position: 10 });
    expect(error("2 # 3").details).toMatchObject({ position: 3 });
    expect(error("abs(1, 2)").message).toMatch(/exactly 1 argument/);
    expect(error("min()").message).toMatch(/at least 1 argument/);
    expect(error("scores.").details).toMatchObject({ position: 8 });
  });

  it("reports unknown names and functions with their position", () => {
    const name = error("scores.a + accuracy");
    expect(name.message).toMatch(
      /unknown name "accuracy"; use scores.<name> or metrics.<name> at position 12/,
    );
    expect(name.details).toMatchObject({ position: 12 });
    expect(error("score.a").message).toMatch(/unknown name "score.a"/);
    expect(error("sqrt(scores.a)").message).toMatch(
      /unknown function "sqrt"; functions: min, max, abs at position 1/,
    );
    expect(error("constructor(1)").message).toMatch(/unknown function/);
  });

  it("refuses empty expressions and runaway nesting", () => {
    expect(error("  ").message).toMatch(/must be a non-empty string/);
    expect(error(`${"(".repeat(500)}1${")".repeat(500)}`).message).toMatch(/levels of nesting/);
  });
});
