import { expect } from "vitest";
import type { RunRecord } from "../../core/types.js";
import type { Refusal, Works } from "./cases.js";

const CAT = "cat:1.0.0";
const entry = (name: string, value: unknown) => ({ name, value: value as number, step: null, timestamp: 1 });
/** A prepared run as another process would send it (`writeRun` with `create`). */
const forged = (runId = "forged01") => ({
  experiment: CAT,
  runId,
  params: {},
  tags: {},
  startedAt: 1,
  fingerprints: { paramsFingerprint: "p", seedFingerprint: "s", contextFingerprint: "c" },
});
class Point {
  x = 1;
}

/** The write path refuses what the library refuses, in `writeRun` too (the HTTP batch route). */
export const WRITE_PATH: Refusal[] = [
  {
    name: "writeRun: a row with an empty datapointId",
    call: (s, w) => s.writeRun(w.openRunId, { rows: [{ datapointId: "", scores: { x: 1 } }] }),
    message: /^rows\[0\]\.datapointId: must be a non-empty string; received ""/,
  },
  {
    name: "writeRun: an empty score name",
    call: (s, w) => s.writeRun(w.openRunId, { rows: [{ datapointId: "a", scores: { "": 1 } }] }),
    message: /^rows\[0\]\.scores: must be a non-empty string .*; received ""/,
  },
  {
    name: "writeRun: an empty metric name",
    call: (s, w) => s.writeRun(w.openRunId, { metrics: [entry("", 1)] }),
    message: /^metrics\[0\]\.name: must be a non-empty string .*; received ""/,
  },
  {
    name: "writeRun: an empty tag name",
    call: (s, w) => s.writeRun(w.openRunId, { tags: { "": "x" } }),
    message: /^tags: keys must be non-empty/,
  },
  {
    name: 'writeRun: a metric value "oops"',
    call: (s, w) => s.writeRun(w.openRunId, { metrics: [entry("m", "oops")] }),
    // The server's schema refuses it first, in its own words; both name the field.
    message: /^metrics\[0\]\.value: (must be a number .*; received "oops"|Invalid input: expected number)/,
  },
  {
    name: "writeRun: a batch that also ends the run with a bad row writes nothing, the end included",
    call: (s, w) =>
      s.writeRun(w.openRunId, {
        metrics: [entry("fine", 1)],
        rows: [
          { datapointId: "ok", scores: {} },
          { datapointId: "", scores: {} },
        ],
        end: { status: "success" },
      }),
    message: /^rows\[1\]\.datapointId: must be a non-empty string/,
  },
  {
    name: "writeRun: an end status that is not final",
    call: (s, w) => s.writeRun(w.openRunId, { end: { status: "bogus" as never } }),
    message:
      /^end\.status: (must be one of success, failed, cancelled; received "bogus"|Invalid option: expected one of "success"\|"failed"\|"cancelled")/,
  },
  {
    name: "writeRun: a prepared run naming an experiment that does not exist",
    code: "NOT_FOUND",
    call: (s) => s.writeRun("forged01", { create: { ...forged(), experiment: "nope:1.0.0" } }),
    message: /experiment nope/,
  },
  {
    name: "writeRun: a prepared run without fingerprints",
    call: (s) => s.writeRun("forged02", { create: { ...forged("forged02"), fingerprints: {} as never } }),
    message:
      /^create\.fingerprints\.paramsFingerprint: (must be a non-empty string|Invalid input: expected string)/,
  },
  {
    name: "logRows: the same datapointId and trial twice in one call",
    call: (_s, w, via) =>
      w.handles[via].logRows([
        { datapointId: "a", scores: { x: 1 } },
        { datapointId: "b", scores: { x: 1 } },
        { datapointId: "a", scores: { x: 2 } },
      ]),
    message: /^rows\[2\]\.datapointId: repeats rows\[0\] \(datapointId "a", trial 0\)/,
  },
  {
    name: "writeRun: the same datapointId and trial twice in one batch",
    call: (s, w) =>
      s.writeRun(w.openRunId, {
        rows: [
          { datapointId: "a", trial: 1, scores: {} },
          { datapointId: "a", trial: 1, scores: {} },
        ],
      }),
    message: /^rows\[1\]\.datapointId: repeats rows\[0\] \(datapointId "a", trial 1\)/,
  },
  {
    name: "importRowScores: a file repeating a datapointId and trial",
    call: (s, w) =>
      s.importRowScores(w.openRunId, [
        '{"datapointId":"a","metrics":{}}\n{"datapointId":"a","metrics":{}}\n',
      ]),
    message: /^line 2: datapointId: repeats line 1 \(datapointId "a", trial 0\)/,
  },
  {
    name: "params holding a Map",
    call: (s) => s.startRun({ experiment: CAT, params: { m: new Map([["a", 1]]) } }),
    message: /^params\.m: must be a JSON-like value .*; received a Map/,
  },
  {
    name: "params holding a Set",
    call: (s) => s.startRun({ experiment: CAT, params: { nested: { s: new Set([1]) } } }),
    message: /^params\.nested\.s: must be a JSON-like value .*; received a Set/,
  },
  {
    name: "params holding a class instance",
    call: (s) => s.createRun({ experiment: CAT, params: { p: new Point() } }),
    message: /^params\.p: must be a JSON-like value .*; received an instance of Point/,
  },
  {
    name: 'params {"a.b": 1, "a": {"b": 2}}: two leaves on one query path',
    call: (s) => s.startRun({ experiment: CAT, params: JSON.parse('{"a.b": 1, "a": {"b": 2}}') }),
    message: /^params: params\["a\.b"\] and params\.a\.b both read as params\.a\.b in queries/,
  },
  {
    name: "listRuns({ limit: 1.5 })",
    call: (s) => s.listRuns({ limit: 1.5 }),
    message: /^limit: must be a whole number >= 0; received 1\.5/,
  },
  {
    name: "listRuns({ limit: -1 })",
    call: (s) => s.listRuns({ limit: -1 }),
    message: /^limit: must be a whole number >= 0; received -1/,
  },
  {
    name: 'listRuns({ status: "bogus" })',
    call: (s) => s.listRuns({ status: "bogus" as never }),
    message: /^status: must be one of pending, running, .*; received "bogus"/,
  },
  {
    name: "a lone surrogate in a metric name",
    call: (_s, w, via) => w.handles[via].logMetric("acc\uD800", 1),
    message: /^name: .*without control characters or lone surrogates; received "acc\\ud800"/,
  },
  {
    name: "a lone surrogate in a tag",
    call: (_s, w, via) => w.handles[via].setTags({ "stage\uDC00": "dev" }),
    message: /^tags: must be valid Unicode .*lone surrogate/,
  },
  {
    name: "a lone surrogate in a datapointId and a score name",
    call: async (_s, w, via) => {
      await expect(w.handles[via].logRows([{ datapointId: "q\uD800", scores: {} }])).rejects.toThrow(
        /^rows\[0\]\.datapointId: must be valid Unicode/,
      );
      return w.handles[via].logRows([{ datapointId: "q", scores: { "em\uDBFF": 1 } }]);
    },
    message: /^rows\[0\]\.scores: .*lone surrogates/,
  },
  {
    name: "a lone surrogate in a run name, a param key and a param value",
    call: async (s) => {
      await expect(s.startRun({ experiment: CAT, name: "r\uD800" })).rejects.toThrow(
        /^name: must be valid Unicode/,
      );
      await expect(s.startRun({ experiment: CAT, params: { "k\uDC00": 1 } })).rejects.toThrow(
        /^params\["k\\udc00"\]: the key must be valid Unicode/,
      );
      return s.startRun({ experiment: CAT, params: { k: "v\uD800" } });
    },
    message: /^params\.k: must be valid Unicode/,
  },
];

/** What the store must keep as it was given. */
export const KEPT: Works[] = [
  {
    name: "caller times (startedAt, timestamp, finishedAt) are known keys",
    call: async (s) => {
      const run = await s.startRun({ experiment: CAT, name: "timed", startedAt: "2024-01-02T03:04:05Z" });
      await run.logMetric("m", 1, { step: 1, timestamp: 1_704_164_700_000 });
      await run.logMetrics({ n: 2 }, { timestamp: new Date(1_704_164_710_000) });
      await run.finish({ finishedAt: 1_704_164_765_000 });
      return s.getRun(run.runId);
    },
    check: (r: RunRecord) => {
      expect([r.startedAt, r.finishedAt, r.durationMs]).toEqual([
        "2024-01-02T03:04:05.000Z",
        "2024-01-02T03:06:05.000Z",
        120_000,
      ]);
    },
  },
  {
    name: "a metric named __proto__ is in run.metrics, and searchable",
    call: async (s) => {
      const run = await s.startRun({ experiment: CAT, name: "proto" });
      await run.logMetrics(JSON.parse('{"__proto__": 0.5, "plain": 1}'));
      await run.finish();
      const found = await s.searchRuns({ filter: 'name = "proto" and metrics.__proto__ = 0.5' });
      return { record: await s.getRun(run.runId), found: found.data };
    },
    check: (r: { record: RunRecord; found: { metrics?: Record<string, number> }[] }) => {
      expect(Object.hasOwn(r.record.metrics, "__proto__")).toBe(true);
      expect(JSON.stringify(r.record.metrics)).toBe('{"__proto__":0.5,"plain":1}');
      expect(Object.getPrototypeOf(r.record.metrics)).toBe(Object.prototype);
      expect(r.found.length).toBeGreaterThanOrEqual(1);
      expect(r.found.every((f) => f.metrics && Object.hasOwn(f.metrics, "__proto__"))).toBe(true);
    },
  },
  {
    name: "params holding a Uint8Array (or a Buffer) read back as a Uint8Array, byte for byte",
    call: async (s) => {
      const run = await s.startRun({
        experiment: CAT,
        params: { bytes: new Uint8Array([0, 1, 255]), buf: Buffer.from("hi") },
      });
      await run.finish();
      return (await s.getRun(run.runId)).params;
    },
    check: (p: Record<string, unknown>) => {
      expect(p.bytes).toBeInstanceOf(Uint8Array);
      expect([...(p.bytes as Uint8Array)]).toEqual([0, 1, 255]);
      expect(p.buf).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(p.buf as Uint8Array).toString()).toBe("hi");
    },
  },
];
