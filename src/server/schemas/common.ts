import { z } from "@hono/zod-openapi";
import { ERROR_CODES } from "../../core/errors.js";
import { unknownKeyRule } from "../../core/known-keys.js";

/**
 * A request object that refuses a key it does not list, with the library's words (naming the
 * nearest known key): a misspelt field must not be ignored silently.
 *
 * @example
 * const Body = strict({ role: z.string() }, "POST /keys");
 */
export function strict<T extends z.ZodRawShape>(shape: T, what: string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === "unrecognized_keys" ? unknownKeyRule(String(iss.keys[0]), known, what) : undefined,
  });
}

/**
 * Values travel as labbook's tagged JSON (`core/codec`): plain JSON, plus the numbers JSON
 * cannot spell as `{"$float": "NaN" | "Infinity" | "-Infinity"}`, typed arrays as
 * `{"$typed": "Float32Array", "data": base64}` and dates as `{"$date": iso}`.
 */
export const TaggedFloat = z
  .strictObject({ $float: z.enum(["NaN", "Infinity", "-Infinity"]) })
  .openapi("TaggedFloat", { description: "A number JSON cannot spell." });

/** A number, finite or tagged. */
export const Num = z.union([z.number(), TaggedFloat]).openapi("Number");

/** Any tagged JSON value. */
export const Json = z.unknown().openapi({ description: "A tagged JSON value (see TaggedFloat)." });

export const JsonObject = z.record(z.string(), z.unknown()).openapi({ description: "A tagged JSON object." });

/** A key/value tag record, or a list of bare tags (value `""`). */
export const TagsInput = z
  .union([z.array(z.string()), z.record(z.string(), z.string())])
  .openapi("TagsInput");
export const Tags = z.record(z.string(), z.string()).openapi("Tags");

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi("Error");

const ERROR_TEXT: Record<number, string> = {
  400: "Invalid argument (names the field, the rule and the value)",
  401: "Missing, unknown or revoked API key",
  403: "The key's role does not allow this",
  404: "Not found (or in another workspace)",
  409: "Already exists, or the run has ended",
  413: "Body over the limit",
  504: "Timed out",
};

/** Error responses for a route (401, 403 and 400 are always possible). */
export function errors(...statuses: number[]) {
  const out: Record<
    number,
    { description: string; content: { "application/json": { schema: typeof ErrorBody } } }
  > = {};
  for (const s of [400, 401, 403, ...statuses]) {
    out[s] = {
      description: ERROR_TEXT[s] ?? "Error",
      content: { "application/json": { schema: ErrorBody } },
    };
  }
  return out;
}

/** A JSON request body. */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return {
    required: true,
    ...(description ? { description } : {}),
    content: { "application/json": { schema } },
  };
}

/** A JSON 200 (or other) response. */
export function ok<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export const NoContent = { description: "Done; no body" };

/** `{ data: T[] }`. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item) });
}

export const RunIdParam = z.object({
  runId: z
    .string()
    .min(1)
    .openapi({ param: { name: "runId", in: "path" }, example: "r_01" }),
});

export const RunAndNameParams = z.object({
  runId: z
    .string()
    .min(1)
    .openapi({ param: { name: "runId", in: "path" } }),
  name: z
    .string()
    .min(1)
    .openapi({ param: { name: "name", in: "path" } }),
});

/** `limit` (1..max) and `offset` query parameters. */
export function limitOffset(max: number) {
  return {
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(max)
      .optional()
      .openapi({ param: { name: "limit", in: "query" }, description: `At most ${max}` }),
    offset: z.coerce
      .number()
      .int()
      .min(0)
      .optional()
      .openapi({ param: { name: "offset", in: "query" } }),
  };
}
