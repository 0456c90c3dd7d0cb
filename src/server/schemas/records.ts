import { z } from "@hono/zod-openapi";
import { RUN_STATUSES } from "../../core/types.js";
import { Json, JsonObject, Num, Tags, TagsInput } from "./common.js";

export const RunStatus = z.enum(RUN_STATUSES as [string, ...string[]]).openapi("RunStatus");
export const FinalStatus = z.enum(["success", "failed", "cancelled"]);

export const Experiment = z
  .object({
    experimentId: z.string().openapi({ example: "sweep:1.0.0" }),
    name: z.string(),
    version: z.string(),
    description: z.string().nullable(),
    metadata: JsonObject,
    tags: Tags,
    createdAt: z.string(),
  })
  .openapi("Experiment");

export const CreateExperiment = z
  .object({
    name: z.string(),
    version: z.string().optional(),
    description: z.string().optional(),
    metadata: JsonObject.optional(),
    tags: TagsInput.optional(),
  })
  .openapi("CreateExperiment");

export const RunError = z
  .object({ type: z.string(), message: z.string(), stack: z.string().nullable() })
  .openapi("RunError");

export const Run = z
  .object({
    runId: z.string(),
    experimentId: z.string(),
    experimentName: z.string(),
    experimentVersion: z.string(),
    name: z.string().nullable(),
    status: RunStatus,
    params: JsonObject,
    seed: Json,
    tags: Tags,
    metrics: z.record(z.string(), Num),
    derived: JsonObject,
    error: RunError.nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    durationMs: z.number().nullable(),
    paramsFingerprint: z.string(),
    seedFingerprint: z.string(),
    contextFingerprint: z.string(),
    executionId: z.string().nullable(),
  })
  .openapi("Run");

export const StartRun = z
  .object({
    experiment: z.string().openapi({ description: "`name` or `name:version`" }),
    name: z.string().optional(),
    params: JsonObject.optional(),
    seed: Json.optional(),
    context: Json.optional(),
    tags: TagsInput.optional(),
    runId: z.string().optional().openapi({ description: 'An id, or "deterministic"' }),
    ifExists: z.enum(["error", "replace"]).optional(),
    replaceIf: z.array(RunStatus).optional().openapi({
      description: 'With ifExists "replace": replace only a stored run in one of these statuses',
    }),
    executionId: z.string().optional(),
  })
  .openapi("StartRun");

export const Fingerprints = z.object({
  paramsFingerprint: z.string(),
  seedFingerprint: z.string(),
  contextFingerprint: z.string(),
});

export const RunCreate = StartRun.extend({
  experiment: z.string(),
  runId: z.string(),
  params: JsonObject,
  tags: Tags,
  startedAt: z.number(),
  fingerprints: Fingerprints,
}).openapi("RunCreate");

export const ScoreValue = z.union([Num, z.boolean(), z.string(), z.null()]).openapi("ScoreValue");

export const RowInput = z
  .object({
    datapointId: z.string(),
    item: Json.optional(),
    output: Json.optional(),
    scores: z.record(z.string(), ScoreValue),
    trial: z.number().int().min(0).optional(),
    requests: Json.optional(),
  })
  .openapi("RowInput");

export const Row = z
  .object({
    datapointId: z.string(),
    trial: z.number().int(),
    item: Json,
    output: Json,
    scores: z.record(z.string(), ScoreValue),
    requests: Json,
  })
  .openapi("Row");

export const MetricEntry = z
  .object({ name: z.string(), value: Num, step: z.number().int().min(0).nullable(), timestamp: z.number() })
  .openapi("MetricEntry");

export const RunWriteBatch = z
  .object({
    create: RunCreate.optional(),
    metrics: z.array(MetricEntry).optional(),
    rows: z.array(RowInput).optional(),
    tags: Tags.optional(),
    end: z
      .object({
        status: FinalStatus,
        error: RunError.nullable().optional(),
        finishedAt: z.number().optional(),
      })
      .optional(),
  })
  .openapi("RunWriteBatch", { description: "Writes applied to a running run in one transaction." });

export const Series = z
  .object({ steps: z.array(z.number()), values: z.array(Num), timestamps: z.array(z.number()) })
  .openapi("MetricSeries");

export const Artifact = z
  .object({
    name: z.string(),
    kind: z.string(),
    mediaType: z.string(),
    size: z.number().int(),
    digest: z.string().openapi({ example: "sha256:9f86d08..." }),
    createdAt: z.string(),
  })
  .openapi("Artifact");

export const DataDescriptor = z
  .object({ name: z.string(), dtype: z.string(), shape: z.array(z.number().int()) })
  .openapi("DataDescriptor");

const Threshold = z.object({
  min: z.number().optional(),
  max: z.number().optional(),
  passWhen: z.boolean().optional(),
  passingCategories: z.array(z.string()).optional(),
});

export const MetricDefinitionInput = z
  .object({
    name: z.string(),
    kind: z.enum(["range", "rubric"]),
    direction: z.enum(["higher", "lower"]).optional(),
    threshold: Threshold.optional(),
    categories: z.array(z.string()).optional(),
  })
  .openapi("MetricDefinitionInput");

export const MetricDefinition = z
  .object({
    experimentId: z.string(),
    name: z.string(),
    kind: z.enum(["range", "rubric"]),
    direction: z.enum(["higher", "lower"]),
    threshold: Threshold.nullable(),
    categories: z.array(z.string()).nullable(),
  })
  .openapi("MetricDefinition");
