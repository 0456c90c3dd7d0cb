import { z } from "@hono/zod-openapi";
import { invalid } from "../../core/errors.js";
import { decodeGraphValue, encodeGraphValue, type GraphNodeLine } from "../../core/object-graph.js";
import type { App } from "../env.js";
import { addRoute, body, sendJson } from "../route.js";
import { errors, jsonBody, listOf, ok, strict } from "../schemas/common.js";
import type { RouteDeps } from "./deps.js";
import { Name, p, q, RefQuery, ref } from "./execution-params.js";

const tags = ["executions"];
const SavedObject = z
  .object({ name: z.string(), executionId: z.string(), savedAt: z.string() })
  .openapi("SavedObject");
const Graph = z.string().openapi("ObjectGraph", {
  description:
    "A value as the JSON text of its object graph `{root, nodes}` (core/object-graph: shared sub-objects and cycles kept)",
});
const ObjectName = z.string().openapi({ param: { name: "objectName", in: "path" } });

/** Decodes the JSON text of an object graph, refusing text that is not one. */
function decodeGraph(text: string): unknown {
  let parsed: { root: unknown; nodes: GraphNodeLine[] };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch (e) {
    throw invalid("graph", `must be the JSON text of an object graph: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || !Array.isArray(parsed.nodes)) {
    throw invalid("graph", "must be an object with root and nodes");
  }
  return decodeGraphValue(parsed);
}

/** Objects saved with executions: list, load and save (shared sub-objects and cycles kept). */
export function savedObjectRoutes(app: App, d: RouteDeps): void {
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/experiments/{name}/saved-objects",
      tags,
      summary: "Objects saved with an execution (?execution_id=), or with every execution",
      request: { params: z.object({ name: Name }), query: RefQuery },
      responses: { 200: ok(listOf(SavedObject), "Saved objects"), ...errors(404) },
    },
    async (c) => sendJson({ data: await c.var.store.listObjects(p<{ name: string }>(c).name, ref(q(c))) }),
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/experiments/{name}/saved-objects/{objectName}",
      tags,
      summary: "Load a saved value (from ?execution_id=, else the latest execution that saved it)",
      request: { params: z.object({ name: Name, objectName: ObjectName }), query: RefQuery },
      responses: { 200: ok(z.object({ graph: Graph }), "The value"), ...errors(404) },
    },
    async (c) => {
      const { name, objectName } = p<{ name: string; objectName: string }>(c);
      const value = await c.var.store.loadObject(name, objectName, ref(q(c)));
      return sendJson({ graph: JSON.stringify(encodeGraphValue(value, objectName)) });
    },
  );
  addRoute(
    app,
    {
      method: "put",
      path: "/api/v1/experiments/{name}/saved-objects/{objectName}",
      tags,
      summary: "Save a value with an execution (?execution_id=, else the latest)",
      middleware: [d.json],
      request: {
        params: z.object({ name: Name, objectName: ObjectName }),
        query: RefQuery,
        body: jsonBody(strict({ graph: Graph }, "saveObject")),
      },
      responses: { 200: ok(SavedObject, "Saved"), ...errors(404) },
    },
    async (c) => {
      const { name, objectName } = p<{ name: string; objectName: string }>(c);
      const value = decodeGraph(body<{ graph: string }>(c).graph);
      return sendJson(await c.var.store.saveObject(name, objectName, value, ref(q(c))));
    },
  );
}
