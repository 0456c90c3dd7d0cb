import { decodeGraphValue, encodeGraphValue, type GraphNodeLine } from "../../core/object-graph.js";
import type { RunStatus } from "../../core/types.js";
import type {
  CreateExecutionInput,
  ExecutionManifest,
  ExecutionRecord,
  ExecutionRef,
  ExecutionStatus,
  ImportExecutionInput,
  SavedObjectInfo,
} from "../execution-methods.js";
import type { HttpClient } from "./http-client.js";
import { responseLines } from "./streams.js";

const enc = encodeURIComponent;
const exp = (name: string) => `/experiments/${enc(name)}`;
const execPath = (name: string, ref: ExecutionRef = {}) =>
  `${exp(name)}/executions/${ref.executionId === undefined ? "latest" : enc(ref.executionId)}`;
const refQuery = (ref: ExecutionRef = {}) => ({ execution_id: ref.executionId });

/** Versions, executions and saved objects over HTTP: the remote store's side of those routes. */
export const remoteExecutions = {
  async listVersions(http: HttpClient, name: string): Promise<string[]> {
    return (await http.json<{ data: string[] }>("GET", `${exp(name)}/versions`)).data;
  },
  async latestVersion(http: HttpClient, name: string): Promise<string> {
    return (await http.json<{ version: string }>("GET", `${exp(name)}/latest-version`)).version;
  },
  createExecution(http: HttpClient, input: CreateExecutionInput): Promise<ExecutionRecord> {
    return http.json("POST", "/executions", { json: { ...input } });
  },
  importExecution(http: HttpClient, input: ImportExecutionInput): Promise<ExecutionRecord> {
    return http.json("POST", "/executions/import", { json: { ...input } });
  },
  updateExecution(
    http: HttpClient,
    name: string,
    executionId: string,
    patch: { status?: ExecutionStatus; finishedAt?: number | null; manifest?: ExecutionManifest | null },
  ): Promise<ExecutionRecord> {
    return http.json("PATCH", execPath(name, { executionId }), { json: { ...patch } });
  },
  async listExecutions(http: HttpClient, name: string): Promise<ExecutionRecord[]> {
    return (await http.json<{ data: ExecutionRecord[] }>("GET", `${exp(name)}/executions`)).data;
  },
  getExecution(http: HttpClient, name: string, ref?: ExecutionRef): Promise<ExecutionRecord> {
    return http.json("GET", execPath(name, ref));
  },
  appendExecutionObjects(http: HttpClient, name: string, executionId: string, lines: readonly string[]) {
    return http.json<void>("POST", `${execPath(name, { executionId })}/objects`, { json: { lines } });
  },
  async *executionObjects(http: HttpClient, name: string, ref?: ExecutionRef): AsyncGenerator<string> {
    const res = await http.request("GET", `${execPath(name, ref)}/objects.jsonl`);
    yield* responseLines(res.body);
  },
  saveObject(
    http: HttpClient,
    name: string,
    objectName: string,
    value: unknown,
    ref?: ExecutionRef,
  ): Promise<SavedObjectInfo> {
    const graph = JSON.stringify(encodeGraphValue(value, objectName));
    return http.json("PUT", `${exp(name)}/saved-objects/${enc(objectName)}`, {
      json: { graph },
      query: refQuery(ref),
    });
  },
  async loadObject(http: HttpClient, name: string, objectName: string, ref?: ExecutionRef): Promise<unknown> {
    const { graph } = await http.json<{ graph: string }>(
      "GET",
      `${exp(name)}/saved-objects/${enc(objectName)}`,
      { query: refQuery(ref) },
    );
    return decodeGraphValue(JSON.parse(graph) as { root: unknown; nodes: GraphNodeLine[] });
  },
  async listObjects(http: HttpClient, name: string, ref?: ExecutionRef): Promise<SavedObjectInfo[]> {
    const path = `${exp(name)}/saved-objects`;
    return (await http.json<{ data: SavedObjectInfo[] }>("GET", path, { query: refQuery(ref) })).data;
  },
  tagsMap(
    http: HttpClient,
    name: string,
    ref?: ExecutionRef,
  ): Promise<Record<string, Record<string, string>>> {
    return http.json("GET", `${exp(name)}/tags-map`, { query: refQuery(ref) });
  },
  runStatuses(http: HttpClient, runIds: readonly string[]): Promise<Record<string, RunStatus>> {
    return http.json("POST", "/runs/statuses", { json: { runIds } });
  },
};
