import { expect } from "vitest";
import { defineExperiment } from "../../runner/define.js";
import { runExperiment } from "../../runner/run-experiment.js";
import { openStore } from "../../store/open-store.js";
import type { Refusal } from "./cases.js";

const CAT = "cat:1.0.0";
const nearest = (key: string, what: string, near: string) =>
  new RegExp(
    `^${key.replace(/[.[\]]/g, "\\$&")}: is not (an option|a field) of ${what} \\(.*\\); did you mean "${near}"\\?( \\(in the request body\\))?$`,
  );

/** A misspelt key is refused, naming it and the nearest known key, never ignored. */
export const UNKNOWN_KEYS: Refusal[] = [
  {
    name: "startRun({ experiment, parms })",
    call: (s) => s.startRun({ experiment: CAT, parms: { lr: 0.1 } } as never),
    message: nearest("parms", "startRun", "params"),
  },
  {
    name: "createRun and prepareRun({ experiment, seeed })",
    call: async (s) => {
      await s.createRun({ experiment: CAT, seeed: 1 } as never).catch((e) => {
        if (!/did you mean "seed"/.test(e.message)) throw e;
      });
      return s.prepareRun({ experiment: CAT, seeed: 1 } as never);
    },
    message: nearest("seeed", "startRun", "seed"),
  },
  {
    name: "logMetrics({ acc }, { stp: 3 })",
    call: (_s, w, via) => w.handles[via].logMetrics({ acc: 0.5 }, { stp: 3 } as never),
    message: nearest("stp", "logMetrics", "step"),
  },
  {
    name: "logMetric(name, value, { Step: 1 })",
    call: (_s, w, via) => w.handles[via].logMetric("acc", 0.5, { Step: 1 } as never),
    message: nearest("Step", "logMetric", "step"),
  },
  {
    name: "logRows([{ datapointId, score }])",
    call: (_s, w, via) =>
      w.handles[via].logRows([{ datapointId: "a", scores: {}, score: { x: 1 } } as never]),
    message: nearest("rows[0].score", "a row", "scores"),
  },
  {
    name: "logMetric(name, value, { timestmp })",
    call: (_s, w, via) => w.handles[via].logMetric("acc", 0.5, { timestmp: 1 } as never),
    message: nearest("timestmp", "logMetric", "timestamp"),
  },
  {
    name: "startRun({ experiment, startedat }) and a bad startedAt, before the experiment is made",
    call: async (s) => {
      await expect(s.startRun({ experiment: "made-too-early", startedAt: "garbage" })).rejects.toThrow(
        /^startedAt: must be a time/,
      );
      return s.startRun({ experiment: "made-too-early", startedat: 1 } as never);
    },
    message: nearest("startedat", "startRun", "startedAt"),
  },
  {
    name: "finish({ finishedat }) leaves the run open",
    call: (_s, w, via) => w.handles[via].finish({ finishedat: 1 } as never),
    message: nearest("finishedat", "finish", "finishedAt"),
  },
  {
    name: "logArtifact(name, value, { mediatype })",
    call: (_s, w, via) => w.handles[via].logArtifact("a.json", { a: 1 }, { mediatype: "x/y" } as never),
    message: nearest("mediatype", "logArtifact", "mediaType"),
  },
  {
    name: "writeRun({ metric: [...] })",
    call: (s, w) => s.writeRun(w.openRunId, { metric: [] } as never),
    message: nearest("metric", "writeRun", "metrics"),
  },
  {
    name: "writeRun: a metric entry with { stpe }",
    call: (s, w) =>
      s.writeRun(w.openRunId, {
        metrics: [{ name: "a", value: 1, step: null, timestamp: 1, stpe: 2 } as never],
      }),
    message: nearest("metrics[0].stpe", "a metric entry", "step"),
  },
  {
    name: "writeRun: an end with { finshedAt }",
    call: (s, w) => s.writeRun(w.openRunId, { end: { status: "success", finshedAt: 1 } as never }),
    message: nearest("end.finshedAt", "a run's end", "finishedAt"),
  },
  {
    name: "createExperiment({ name, descripton })",
    call: (s) => s.createExperiment({ name: "fresh", descripton: "x" } as never),
    message: nearest("descripton", "createExperiment", "description"),
  },
  {
    name: "listRuns({ limt: 5 })",
    call: (s) => s.listRuns({ limt: 5 } as never),
    message: nearest("limt", "listRuns", "limit"),
  },
  {
    name: "setDerived(runId, values, { overwite })",
    call: (s, w) => s.setDerived(w.openRunId, { x: 1 }, { overwite: true } as never),
    message: nearest("overwite", "setDerived", "overwrite"),
  },
  {
    name: "searchRuns({ pagesize })",
    call: (s) => s.searchRuns({ pagesize: 5 } as never),
    message: nearest("pagesize", "searchRuns", "pageSize"),
  },
  {
    name: "searchRows(runId, { filtr })",
    call: (s, w) => s.searchRows(w.rowsRunId, { filtr: "scores.em = 1" } as never),
    message: nearest("filtr", "searchRows", "filter"),
  },
  {
    name: "aggregateRuns({ metrics, groupby })",
    call: (s) => s.aggregateRuns({ metrics: ["acc"], groupby: "params.model" } as never),
    message: nearest("groupby", "aggregateRuns", "groupBy"),
  },
  {
    name: "defineMetric(experiment, { name, kind, treshold })",
    call: (s) => s.defineMetric(CAT, { name: "em", kind: "range", treshold: { min: 1 } } as never),
    message: nearest("treshold", "defineMetric", "threshold"),
  },
  {
    name: "createExecution({ experiment, startedat })",
    call: (s) => s.createExecution({ experiment: CAT, startedat: 1 } as never),
    message: nearest("startedat", "createExecution", "startedAt"),
  },
  {
    name: "fieldCatalog({ experimnt })",
    call: (s) => s.fieldCatalog({ experimnt: "cat" } as never),
    message: nearest("experimnt", "fieldCatalog", "experiment"),
  },
  {
    name: "runExperiment(experiment, { store, concurency })",
    call: (s) =>
      runExperiment(defineExperiment({ name: "cat", version: "1.0.0", params: {}, run: () => undefined }), {
        store: s,
        concurency: 2,
      } as never),
    message: nearest("concurency", "runExperiment", "concurrency"),
  },
  {
    name: "defineExperiment({ name, params, run, seed })",
    only: "library",
    call: async () => defineExperiment({ name: "cat", params: {}, run: () => undefined, seed: 3 } as never),
    message: nearest("seed", "defineExperiment", "seeds"),
  },
  {
    name: "openStore(uri, { apikey })",
    call: (_s, w, via) =>
      openStore(via === "library" ? w.dir : w.server.url, { apikey: w.adminKey } as never),
    message: nearest("apikey", "openStore", "apiKey"),
  },
];
