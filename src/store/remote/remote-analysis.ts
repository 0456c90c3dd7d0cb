import { checkCompareOptions } from "../../compare/options.js";
import type {
  CompareGroupsOptions,
  CompareGroupsResult,
  CompareRunsOptions,
  CompareRunsResult,
} from "../../compare/types.js";
import { checkOptions } from "../../core/known-keys.js";
import { RUN_RESULT_KEYS } from "../../scores/check-options.js";
import type { NemoAggregateScoresResult } from "../../scores/nemo-compat.js";
import type {
  AggregateRunsOptions,
  AggregateRunsResult,
  AggregateScoresOptions,
  AggregateScoresResult,
  CompositeDefinition,
  CompositeDefinitionInput,
  QueryInput,
  RunResult,
  RunResultOptions,
} from "../../scores/types.js";
import { type HttpClient, runPath } from "./http-client.js";

const enc = encodeURIComponent;

/** Scores, aggregates and comparisons over HTTP: the remote store's side of those routes. */
export const remoteAnalysis = {
  defineComposite(
    http: HttpClient,
    experiment: string,
    c: CompositeDefinitionInput,
  ): Promise<CompositeDefinition> {
    return http.json("PUT", `/experiments/${enc(experiment)}/composites`, { json: { ...c } });
  },
  async getCompositeDefinitions(http: HttpClient, experiment: string): Promise<CompositeDefinition[]> {
    return (
      await http.json<{ data: CompositeDefinition[] }>("GET", `/experiments/${enc(experiment)}/composites`)
    ).data;
  },
  aggregateScores(
    http: HttpClient,
    runId: string,
    options: AggregateScoresOptions = {},
  ): Promise<AggregateScoresResult | NemoAggregateScoresResult> {
    return http.json("POST", runPath(runId, "/aggregate-scores"), { json: { ...options } });
  },
  aggregateRuns(http: HttpClient, options: AggregateRunsOptions): Promise<AggregateRunsResult> {
    return http.json("POST", "/aggregate-runs", { json: { ...options } });
  },
  runResult(http: HttpClient, runId: string, options: RunResultOptions = {}): Promise<RunResult> {
    checkOptions(options, RUN_RESULT_KEYS, "runResult"); // sent as query parameters: check the keys here
    return http.json("GET", runPath(runId, "/result"), {
      query: {
        aggregate_function: options.aggregate,
        page: options.page,
        page_size: options.pageSize,
        datapoints: options.datapoints,
      },
    });
  },
  compareRuns(
    http: HttpClient,
    newRunId: string,
    oldRunId: string,
    o: CompareRunsOptions = {},
  ): Promise<CompareRunsResult> {
    checkCompareOptions(o); // sent as query parameters: check them here
    return http.json("GET", runPath(newRunId, `/compare-with/${enc(oldRunId)}`), {
      query: {
        aggregate_function: o.aggregate,
        metrics: o.metrics,
        max_drop: o.maxDrop,
        alpha: o.alpha,
        seed: o.seed,
        include_ids: o.includeIds,
        id_limit: o.idLimit,
        continuous_test: o.continuousTest,
      },
    });
  },
  compareGroups(
    http: HttpClient,
    filterA: QueryInput,
    filterB: QueryInput,
    options: CompareGroupsOptions,
  ): Promise<CompareGroupsResult> {
    return http.json("POST", "/compare-groups", { json: { filterA, filterB, options } });
  },
};
