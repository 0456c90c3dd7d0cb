import { z } from "@hono/zod-openapi";

/** A filter: the string syntax (`params.lr > 0.01 and status = 'success'`) or the JSON operator form. */
export const QueryFilter = z.union([z.string(), z.record(z.string(), z.unknown())]).openapi("Filter", {
  description: "The query language: a string (`metrics.acc > 0.9 and tags.stage = 'dev'`) or JSON operators",
});
