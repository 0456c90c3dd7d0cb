import { z } from "@hono/zod-openapi";
import type { ExecutionRef } from "../../store/execution-methods.js";
import { type Ctx, input } from "../route.js";

/** The experiment name in a path. */
export const Name = z
  .string()
  .openapi({ param: { name: "name", in: "path" }, description: "Experiment name" });
/** `?execution_id=`: which execution (the latest when absent). */
export const RefQuery = z.object({
  execution_id: z
    .string()
    .optional()
    .openapi({ param: { name: "execution_id", in: "query" } }),
});

/** An execution reference from an id (`latest` or absent: the latest). */
export const ref = (id: string | undefined): ExecutionRef =>
  id && id !== "latest" ? { executionId: id } : {};
/** The `execution_id` query parameter. */
export const q = (c: Ctx) => input<{ execution_id?: string }>(c, "query").execution_id;
/** The path parameters. */
export const p = <T>(c: Ctx) => input<T>(c, "param");
