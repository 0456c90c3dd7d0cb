import { fromTaggedJson, type JsonValue, toTaggedJson } from "../core/codec.js";
import { invalid, isLabbookError, LabbookError } from "../core/errors.js";
import type { RowInput, RowRecord, ScoreValue } from "../core/types.js";
import { checkRows } from "../store/validate-rows.js";

/**
 * One line of a run's row scores, in the NVIDIA evaluator's row shape (`item`, `sample`,
 * `metrics`, `requests`) plus labbook's row key (`datapointId`, `trial`). A score named
 * `key:name` is listed as `metrics[key] = [{ name, value }]`; any other score `s` as
 * `metrics[s] = [{ name: s, value }]`. A score of NaN or an infinity is written as the string
 * `"NaN"`, `"Infinity"` or `"-Infinity"`, as the evaluator writes and reads them (item, sample and
 * requests are tagged JSON: a NaN there is `{"$float":"NaN"}`).
 */
export interface RowScoreLine {
  datapointId: string;
  trial: number;
  item: JsonValue;
  sample: JsonValue;
  metrics: Record<string, { name: string; value: ScoreValue }[]>;
  requests: JsonValue;
}

/** Score numbers JSON cannot spell, as the NVIDIA evaluator spells them. */
const SPELLED: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  "-Infinity": Number.NEGATIVE_INFINITY,
};

/** A score as written: NaN and infinities as `"NaN"`, `"Infinity"`, `"-Infinity"`. */
function writtenScore(v: ScoreValue): ScoreValue {
  return typeof v === "number" && !Number.isFinite(v) ? String(v) : v;
}

/**
 * A score as read: `"NaN"`, `"Infinity"`, `"-Infinity"` are those numbers (not rubric
 * categories); anything else as it is.
 */
export function readScore(v: unknown): unknown {
  return typeof v === "string" && Object.hasOwn(SPELLED, v) ? SPELLED[v] : v;
}

/** The metric key and score name a score is listed under. */
function splitScore(score: string): [string, string] {
  const i = score.indexOf(":");
  if (i <= 0 || i === score.length - 1) return [score, score];
  const key = score.slice(0, i);
  const name = score.slice(i + 1);
  return name === key ? [score, score] : [key, name];
}

/** The score name a listed `{ name }` under `key` stands for (the inverse of the split). */
function joinScore(key: string, name: string): string {
  return key === name ? key : `${key}:${name}`;
}

/**
 * A row as one JSONL line (ending in `\n`).
 *
 * @example
 * rowScoreLine({ datapointId: "q1", trial: 0, item: {}, output: "4", scores: { "judge:fluency": 3 }, requests: null });
 * // {"datapointId":"q1","trial":0,"item":{},"sample":"4","metrics":{"judge":[{"name":"fluency","value":3}]},"requests":null}\n
 */
export function rowScoreLine(row: RowRecord): string {
  const metrics: RowScoreLine["metrics"] = {};
  for (const [score, value] of Object.entries(row.scores)) {
    const [key, name] = splitScore(score);
    const list = metrics[key] ?? [];
    list.push({ name, value: writtenScore(value) });
    metrics[key] = list;
  }
  const line = {
    datapointId: row.datapointId,
    trial: row.trial,
    item: toTaggedJson(row.item, "item"),
    sample: toTaggedJson(row.output, "output"),
    metrics,
    requests: toTaggedJson(row.requests, "requests"),
  };
  return `${JSON.stringify(line)}\n`;
}

function lineError(n: number, e: unknown): LabbookError {
  const message = (e instanceof Error ? e.message : String(e)).replace(/^rows\[0\]\./, "");
  return new LabbookError("INVALID_ARGUMENT", `line ${n}: ${message}`, {
    field: `line ${n}`,
    details: { line: n, ...(isLabbookError(e) ? e.details : {}) },
  });
}

/**
 * Parses and validates one line (1-based number `n`) into a row to write. A line without
 * `datapointId` (as the NVIDIA evaluator writes them) gets `row-<n>`. Errors name the line.
 *
 * @example
 * parseRowScoreLine('{"item":{"q":1},"metrics":{"judge":[{"name":"fluency","value":3}]}}', 1);
 * // { datapointId: "row-1", trial: 0, item: { q: 1 }, output: null, scores: { "judge:fluency": 3 }, requests: null }
 */
export function parseRowScoreLine(text: string, n: number): RowInput {
  try {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw invalid("json", `is not valid JSON (${(e as Error).message})`);
    }
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      throw invalid("line", "must be a JSON object", raw);
    }
    const o = fromTaggedJson(raw) as Record<string, unknown>;
    const metrics = o.metrics ?? {};
    if (metrics === null || typeof metrics !== "object" || Array.isArray(metrics)) {
      throw invalid("metrics", "must be an object of arrays of { name, value }", metrics);
    }
    const scores: Record<string, ScoreValue> = {};
    for (const [key, list] of Object.entries(metrics)) {
      if (!Array.isArray(list)) throw invalid(`metrics.${key}`, "must be an array of { name, value }", list);
      list.forEach((s: unknown, i) => {
        const at = `metrics.${key}[${i}]`;
        if (s === null || typeof s !== "object") throw invalid(at, "must be an object { name, value }", s);
        const { name, value } = s as { name?: unknown; value?: unknown };
        if (typeof name !== "string" || name.length === 0)
          throw invalid(`${at}.name`, "must be a string", name);
        const score = joinScore(key, name);
        if (score in scores) throw invalid(at, `repeats the score ${JSON.stringify(score)}`);
        scores[score] = readScore(value) as ScoreValue;
      });
    }
    const row: RowInput = {
      datapointId: o.datapointId === undefined ? `row-${n}` : (o.datapointId as string),
      trial: o.trial === undefined ? 0 : (o.trial as number),
      item: o.item ?? null,
      output: o.sample ?? null,
      scores,
      requests: o.requests ?? null,
    };
    checkRows([row]);
    return row;
  } catch (e) {
    throw lineError(n, e);
  }
}

/** Splits a stream of text or byte chunks into lines (UTF-8 across chunk edges included). */
export async function* splitLines(
  stream: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let rest = "";
  for await (const chunk of stream) {
    rest += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let i = rest.indexOf("\n"); i >= 0; i = rest.indexOf("\n", start)) {
      yield rest.slice(start, i).replace(/\r$/, "");
      start = i + 1;
    }
    rest = rest.slice(start);
  }
  rest += decoder.decode();
  if (rest.length > 0) yield rest.replace(/\r$/, "");
}

/**
 * Reads JSONL row scores (text or byte chunks) into rows, checking every line: the first bad
 * line (or a line repeating an earlier one's `datapointId` and `trial`) fails with
 * `INVALID_ARGUMENT` naming its number. Blank lines are skipped.
 *
 * @example
 * const run = await store.startRun({ experiment: "qa" });
 * await run.logRows(await readRowScores(createReadStream("rows.jsonl")));
 */
export async function readRowScores(
  stream: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
): Promise<RowInput[]> {
  const rows: RowInput[] = [];
  // The line of each datapoint id, per trial: a repeat would silently replace the earlier row.
  const lines = new Map<number, Map<string, number>>();
  let n = 0;
  for await (const line of splitLines(stream)) {
    n++;
    if (line.trim() === "") continue;
    const row = parseRowScoreLine(line, n);
    const trial = row.trial ?? 0;
    let ids = lines.get(trial);
    if (!ids) {
      ids = new Map();
      lines.set(trial, ids);
    }
    const first = ids.get(row.datapointId);
    if (first !== undefined) {
      throw lineError(
        n,
        invalid(
          "datapointId",
          `repeats line ${first} (datapointId ${JSON.stringify(row.datapointId)}, trial ${trial}); a file holds a datapoint's trial once`,
        ),
      );
    }
    ids.set(row.datapointId, n);
    rows.push(row);
  }
  return rows;
}
