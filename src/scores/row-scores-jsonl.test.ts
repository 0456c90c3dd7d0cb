import { describe, expect, it } from "vitest";
import { useTempStores } from "../store/sql/dialects/sqlite/test-support/temp-store.js";
import { parseRowScoreLine, rowScoreLine } from "./row-scores-jsonl.js";

const fresh = useTempStores("nemo");

describe('NeMo row scores: NaN as the string "NaN", both ways', () => {
  it("writes NaN and infinities as the evaluator's strings, and reads them back as numbers", () => {
    const line = rowScoreLine({
      datapointId: "q1",
      trial: 0,
      item: { x: Number.NaN },
      output: "4",
      scores: { bleu: Number.NaN, "judge:hi": Number.POSITIVE_INFINITY, lo: Number.NEGATIVE_INFINITY, ok: 1 },
      requests: null,
    });
    const o = JSON.parse(line);
    expect(o.metrics).toEqual({
      bleu: [{ name: "bleu", value: "NaN" }],
      judge: [{ name: "hi", value: "Infinity" }],
      lo: [{ name: "lo", value: "-Infinity" }],
      ok: [{ name: "ok", value: 1 }],
    });
    expect(o.item).toEqual({ x: { $float: "NaN" } }); // labbook's own values keep the tagged form
    const back = parseRowScoreLine(line, 1);
    expect(back.scores.bleu).toBeNaN();
    expect(back.scores["judge:hi"]).toBe(Number.POSITIVE_INFINITY);
    expect(back.scores.lo).toBe(Number.NEGATIVE_INFINITY);
    expect((back.item as { x: number }).x).toBeNaN();
    // Files written before keep reading: the tagged form of a score is still a number.
    expect(
      parseRowScoreLine('{"metrics":{"f1":[{"name":"f1","value":{"$float":"NaN"}}]}}', 1).scores.f1,
    ).toBeNaN();
  });

  it('an evaluator\'s "NaN" leaves a numeric score numeric (it was read as a rubric category)', async () => {
    const { store } = await fresh();
    const run = await store.startRun({ experiment: "nemo" });
    await run.flush();
    const lines = [
      '{"item":{"q":"a"},"sample":"x","metrics":{"bleu":[{"name":"bleu","value":0.5}]}}',
      '{"item":{"q":"b"},"sample":"y","metrics":{"bleu":[{"name":"bleu","value":"NaN"}]}}',
      '{"item":{"q":"c"},"sample":"z","metrics":{"bleu":[{"name":"bleu","value":0.25}]}}',
    ];
    expect(await store.importRowScores(run.runId, [lines.join("\n")])).toEqual({ rows: 3 });
    await run.finish();
    const [bleu] = (await store.aggregateScores(run.runId)).scores;
    expect(bleu).toMatchObject({ name: "bleu", scoreType: "range", nanCount: 1, max: 0.5 });
    const out: string[] = [];
    for await (const l of store.rowScores(run.runId)) out.push(l);
    expect(JSON.parse(out[1]!).metrics.bleu).toEqual([{ name: "bleu", value: "NaN" }]);
  });
});
