import { describe, expect, it } from "vitest";
import type { RowRecord, RunRecord } from "../core/types.js";
import { matchesRow, matchesRun } from "./evaluate.js";
import { likeMatch } from "./like.js";
import { parseQuery } from "./parse.js";
import { parseSort, sortRuns } from "./sort.js";

function run(over: Partial<RunRecord>): RunRecord {
  return {
    runId: "r1",
    experimentId: "e:0.1.0",
    experimentName: "e",
    experimentVersion: "0.1.0",
    name: null,
    status: "success",
    params: {},
    seed: null,
    tags: {},
    metrics: {},
    derived: {},
    error: null,
    createdAt: "2026-11-01T00:00:00.000Z",
    startedAt: "2026-11-01T00:00:00.000Z",
    finishedAt: null,
    durationMs: null,
    paramsFingerprint: "",
    seedFingerprint: "",
    contextFingerprint: "",
    executionId: null,
    ...over,
  };
}
const r = run({
  name: "llama-7B",
  params: { lr: 0.1, model: "b", opt: { kind: "adam" }, layers: [1, 2], flag: true, none: null },
  metrics: { acc: 0.9, loss: Number.NaN, big: Number.POSITIVE_INFINITY },
  tags: { baseline: "", stage: "dev" },
  derived: { score: 3, obj: { a: 1 } },
});
const m = (q: string | Record<string, unknown>) => matchesRun(parseQuery(q), r);

describe("the reference semantics", () => {
  it("missing and null: `= null` holds for both, `!=` is the negation of `=`", () => {
    expect(m("params.nope = null")).toBe(true);
    expect(m("params.none = null")).toBe(true);
    expect(m("name = null")).toBe(false);
    expect(m("params.nope != 1")).toBe(true);
    expect(m("params.nope < 1")).toBe(false);
    expect(m("not params.nope < 1")).toBe(true);
    expect(m("params.none exists")).toBe(true);
    expect(m("params.nope exists")).toBe(false);
    expect(m({ "params.nope": { $exists: false } })).toBe(true);
    expect(m("params.opt exists")).toBe(false); // objects are not values: their leaves are
    expect(m('params.opt.kind = "adam"')).toBe(true);
  });

  it("NaN equals NaN and never orders; infinities order", () => {
    expect(m("metrics.loss = NaN")).toBe(true);
    expect(m("metrics.loss in (1, NaN)")).toBe(true);
    expect(m("metrics.loss > 0 or metrics.loss <= 0")).toBe(false);
    expect(m("metrics.big > 1e308")).toBe(true);
    expect(m("metrics.big = Infinity")).toBe(true);
    expect(m("metrics.acc >= NaN")).toBe(false);
  });

  it("type mismatches are false; booleans are 0/1", () => {
    expect(m('params.lr = "0.1"')).toBe(false);
    expect(m("params.model > 1")).toBe(false);
    expect(m("params.flag = 1 and params.flag = true and params.flag > 0")).toBe(true);
    expect(m("params.layers = 1 or params.layers like '%'")).toBe(false);
    expect(m("params.layers exists")).toBe(true);
    expect(m("derived.obj exists and not derived.obj = null")).toBe(true);
    expect(m('params.model >= "a" and params.model < "c"')).toBe(true);
  });

  it("JSON $like is a substring match (the NVIDIA evaluator's): every character literal", () => {
    expect(m({ name: { $like: "ama-7" } })).toBe(true);
    expect(m({ name: { $like: "llama%" } })).toBe(false); // `%` is a character here
    expect(m({ name: { $like: "7b" } })).toBe(false);
    expect(m({ name: { $ilike: "7b" } })).toBe(true);
    expect(m({ tags: { $like: "base" } })).toBe(true); // any tag key
    expect(m({ "tags.stage": { $like: "e" } })).toBe(true);
    expect(m({ "params.lr": { $like: "0.1" } })).toBe(false); // a number is not a string
    expect(matchesRun(parseQuery({ name: { $like: "beta" } }), run({ name: "metric-beta" }))).toBe(true);
    expect(matchesRun(parseQuery({ name: { $like: "50%" } }), run({ name: "at 50% done" }))).toBe(true);
    expect(matchesRun(parseQuery({ name: { $like: "50%" } }), run({ name: "at 500 done" }))).toBe(false);
  });

  it("like: % and _ wildcards, backslash escapes, case; ilike folds ASCII only", () => {
    expect(m('name like "llama%"')).toBe(true);
    expect(m('name like "LLAMA%"')).toBe(false);
    expect(m('name ilike "LLAMA-_b"')).toBe(true);
    expect(likeMatch("50%", "50\\%", false)).toBe(true);
    expect(likeMatch("500", "50\\%", false)).toBe(false);
    expect(likeMatch("a_b", "a\\_b", false)).toBe(true);
    expect(likeMatch("axb", "a\\_b", false)).toBe(false);
    expect(likeMatch("a\\", "a\\", false)).toBe(true);
    expect(likeMatch("é", "_", false)).toBe(true);
    expect(likeMatch("É", "é", true)).toBe(false);
    expect(likeMatch("x.y", "x.y", false)).toBe(true);
    expect(likeMatch("xzy", "x.y", false)).toBe(false);
    expect(likeMatch("a\nb", "a%b", false)).toBe(true);
  });

  it("tags is the set of keys; tags.<key> is a value", () => {
    expect(m({ tags: { $in: ["baseline"] } })).toBe(true);
    expect(m('tags in ("x", "stage")')).toBe(true);
    expect(m('tags = "dev"')).toBe(false);
    expect(m('tags like "base%" and tags exists')).toBe(true);
    expect(m('tags.baseline = ""')).toBe(true);
    expect(m('tags.stage in ("dev", "prod")')).toBe(true);
    expect(matchesRun(parseQuery("tags exists"), run({}))).toBe(false);
  });

  it("time fields read ISO strings as instants", () => {
    expect(m('created_at >= "2026-11-01" and created_at < "2026-11-02T00:00:00Z"')).toBe(true);
    expect(m(`created_at = ${Date.parse("2026-11-01T00:00:00.000Z")}`)).toBe(true);
    expect(m("finished_at = null")).toBe(true);
  });

  it("rows: item/output paths, scores, passed by thresholds", () => {
    const row: RowRecord = {
      datapointId: "d1",
      trial: 0,
      item: { q: "2+2", meta: { cat: "math" }, nan: Number.NaN },
      output: "4",
      scores: { em: true, f1: 0.4, label: "good" },
      requests: null,
    };
    const t = new Map([["f1", { min: 0.5 }]]);
    const rm = (q: string, th = t) => matchesRow(parseQuery(q, "rows"), row, th);
    expect(rm('item.meta.cat = "math" and output = "4" and scores.em = 1')).toBe(true);
    expect(rm("item.nan exists and not item.nan = NaN")).toBe(true); // stored tagged: an opaque value
    expect(rm("passed")).toBe(false);
    expect(rm("passed = false and scores.f1 < 0.5")).toBe(true);
    expect(rm("passed = true", new Map())).toBe(true);
    expect(rm("item.meta = null")).toBe(false);
  });

  it("sorts nulls last in both directions, NaN after numbers, ties by run_id", () => {
    const runs = [
      run({ runId: "a", metrics: { acc: 0.5 } }),
      run({ runId: "b", metrics: {} }),
      run({ runId: "c", metrics: { acc: Number.NaN } }),
      run({ runId: "d", metrics: { acc: 0.9 } }),
      run({ runId: "e", metrics: { acc: 0.5 } }),
    ];
    expect(sortRuns(runs, parseSort("metrics.acc")).map((x) => x.runId)).toEqual(["a", "e", "d", "c", "b"]);
    expect(sortRuns(runs, parseSort("-metrics.acc")).map((x) => x.runId)).toEqual(["d", "e", "a", "c", "b"]);
  });
});
