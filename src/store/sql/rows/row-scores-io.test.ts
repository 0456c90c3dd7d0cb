import { expect, it } from "vitest";
import { LabbookError } from "../../../core/errors.js";
import { describeDialects, useTempStores } from "../test-support/temp-store.js";

describeDialects("row scores as JSONL", (dialect) => {
  const fresh = useTempStores("jsonl", dialect);

  async function collect(it: AsyncIterable<string>): Promise<string[]> {
    const out: string[] = [];
    for await (const line of it) out.push(line);
    return out;
  }

  it("writes the NVIDIA row shape, and an import into another run reads back the same lines", async () => {
    const { store } = await fresh();
    const a = await store.startRun({ experiment: "jsonl" });
    await a.logRows([
      {
        datapointId: "q2",
        item: { question: "2+2?", tags: ["math"] },
        output: "4",
        scores: { "judge:fluency": 3, "judge:relevance": "high", exact: true, bleu: Number.NaN },
        requests: [{ prompt: "2+2?", ms: 12 }],
      },
      { datapointId: "q1", trial: 1, scores: { exact: false, "x:x": 1, "a:": -0.5 } },
      { datapointId: "q1", scores: { exact: null } },
    ]);
    await a.finish();
    const lines = await collect(store.rowScores(a.runId));
    expect(lines.map((l) => JSON.parse(l).datapointId + JSON.parse(l).trial)).toEqual(["q10", "q11", "q20"]);
    expect(lines.every((l) => l.endsWith("\n") && !l.slice(0, -1).includes("\n"))).toBe(true);
    const q2 = JSON.parse(lines[2]!);
    expect(q2.sample).toBe("4");
    expect(q2.item).toEqual({ question: "2+2?", tags: ["math"] });
    expect(q2.metrics.judge).toEqual([
      { name: "fluency", value: 3 },
      { name: "relevance", value: "high" },
    ]);
    expect(q2.metrics.bleu).toEqual([{ name: "bleu", value: "NaN" }]);
    expect(JSON.parse(lines[1]!).metrics["x:x"]).toEqual([{ name: "x:x", value: 1 }]);

    const b = await store.startRun({ experiment: "jsonl" });
    await b.flush();
    // Byte chunks cut anywhere, even inside a line.
    const bytes = Buffer.from(lines.join(""));
    const chunks = [bytes.subarray(0, 7), bytes.subarray(7, 150), bytes.subarray(150)];
    expect(await store.importRowScores(b.runId, chunks)).toEqual({ rows: 3 });
    await b.finish();
    expect(await collect(store.rowScores(b.runId))).toEqual(lines);
    const rows = [];
    for await (const r of store.iterateRowRecords(b.runId)) rows.push(r);
    expect(rows[2]!.scores.bleu).toBeNaN();
    expect(rows[1]!.scores).toEqual({ exact: false, "x:x": 1, "a:": -0.5 });
    // The imported run aggregates as the original (its columnar copy is written with the rows).
    expect(await store.aggregateScores(b.runId)).toEqual({
      ...(await store.aggregateScores(a.runId)),
      runId: b.runId,
    });
  });

  it("refuses a malformed line by number and imports nothing", async () => {
    const { store } = await fresh();
    const run = await store.startRun({ experiment: "jsonl" });
    await run.flush();
    const good = '{"datapointId":"a","metrics":{"m":[{"name":"m","value":1}]}}\n';
    const cases: [string, RegExp][] = [
      [`${good}\n{"datapointId":"b",`, /^line 3: json: is not valid JSON/],
      [`${good}[1]\n`, /^line 2: line: must be a JSON object/],
      [`${good}{"metrics":{"m":{"name":"m"}}}\n`, /^line 2: metrics\.m: must be an array/],
      [`${good}{"metrics":{"m":[{"name":"m","value":[1]}]}}\n`, /^line 2: scores\.m: must be a number/],
      [`${good}{"datapointId":"","metrics":{}}\n`, /^line 2: datapointId: must be a non-empty string/],
      [`${good}{"trial":-1,"metrics":{}}\n`, /^line 2: trial: must be a whole number/],
      [
        `${good}{"metrics":{"k":[{"name":"a","value":1},{"name":"a","value":2}]}}`,
        /^line 2: .*repeats the score "k:a"/,
      ],
      [`${good}\n${good}`, /^line 3: datapointId: repeats line 1 \(datapointId "a", trial 0\)/],
    ];
    for (const [text, message] of cases) {
      const err = await store.importRowScores(run.runId, [text]).catch((e) => e);
      expect(err).toBeInstanceOf(LabbookError);
      expect(err.code).toBe("INVALID_ARGUMENT");
      expect(err.message).toMatch(message);
    }
    await run.finish();
    expect(await collect(store.rowScores(run.runId))).toEqual([]);
  });

  it("names rows without a datapointId by line, and refuses ended or unknown runs", async () => {
    const { store } = await fresh();
    const run = await store.startRun({ experiment: "jsonl" });
    await run.flush();
    const text = '{"item":{"q":1},"metrics":{"m":[{"name":"m","value":0.5}]}}\r\n\n{"metrics":{}}';
    expect(await store.importRowScores(run.runId, [text])).toEqual({ rows: 2 });
    await run.finish();
    const ids = (await collect(store.rowScores(run.runId))).map((l) => JSON.parse(l).datapointId);
    expect(ids).toEqual(["row-1", "row-3"]);
    const ended = await store.importRowScores(run.runId, [text]).catch((e) => e);
    expect(ended.code).toBe("FAILED_PRECONDITION");
    expect((await store.importRowScores("nope", []).catch((e) => e)).code).toBe("NOT_FOUND");
  });

  it("imports into a run just started by this store, before anything was logged or flushed", async () => {
    const { store } = await fresh();
    const run = await store.startRun({ experiment: "jsonl" });
    expect((await store.getRun(run.runId)).status).toBe("running");
    const text = '{"datapointId":"d1","metrics":{"m":[{"name":"m","value":0.5}]}}\n';
    expect(await store.importRowScores(run.runId, [text])).toEqual({ rows: 1 });
    await run.logMetrics({ acc: 1 });
    await run.finish();
    const rec = await store.getRun(run.runId);
    expect(rec.status).toBe("success");
    expect(rec.metrics).toEqual({ acc: 1 });
    expect(await collect(store.rowScores(run.runId))).toHaveLength(1);
  });
});
