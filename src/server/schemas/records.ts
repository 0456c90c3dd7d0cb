import { z } from "@hono/zod-openapi";
import { RUN_STATUSES } from "../../core/types.js";
import { Json, JsonObject, Num, strict, Tags, TagsInput } from "./common.js";

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

export const CreateExperiment = strict(
  {
    name: z.string(),
    version: z.string().optional(),
    description: z.string().optional(),
    metadata: JsonObject.optional(),
    tags: TagsInput.optional(),
  },
  "createExperiment",
).openapi("CreateExperiment");

export const RunError = strict(
  { type: z.string(), message: z.string(), stack: z.string().nullable() },
  "a run's error",
).openapi("RunError");

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

const startRunShape = {
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
  startedAt: z.union([z.number(), z.string()]).optional().openapi({
    description: "When the run started: milliseconds since the epoch or ISO 8601 (default now)",
  }),
};
export const StartRun = strict(startRunShape, "startRun").openapi("StartRun");

export const Fingerprints = strict(
  { paramsFingerprint: z.string(), seedFingerprint: z.string(), contextFingerprint: z.string() },
  "a run's fingerprints",
);

export const RunCreate = strict(
  {
    ...startRunShape,
    experiment: z.string(),
    runId: z.string(),
    params: JsonObject,
    tags: Tags,
    startedAt: z.number(),
    fingerprints: Fingerprints,
  },
  "a prepared run",
).openapi("RunCreate");

export const ScoreValue = z.union([Num, z.boolean(), z.string(), z.null()]).openapi("ScoreValue");

export const RowInput = strict(
  {
    datapointId: z.string(),
    item: Json.optional(),
    output: Json.optional(),
    scores: z.record(z.string(), ScoreValue),
    trial: z.number().int().min(0).optional(),
    requests: Json.optional(),
  },
  "a row",
).openapi("RowInput");

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

export const MetricEntry = strict(
  { name: z.string(), value: Num, step: z.number().int().min(0).nullable(), timestamp: z.number() },
  "a metric entry",
).openapi("MetricEntry");

export const RunWriteBatch = strict(
  {
    create: RunCreate.optional(),
    params: strict(
      { values: z.record(z.string(), z.unknown()), replace: z.boolean().optional() },
      "writeRun params",
    )
      .optional()
      .openapi({ description: "Params to merge: new ones added, set ones kept unless `replace`" }),
    metrics: z.array(MetricEntry).optional(),
    rows: z.array(RowInput).optional(),
    tags: Tags.optional(),
    end: strict(
      {
        status: FinalStatus,
        error: RunError.nullable().optional(),
        finishedAt: z.number().optional(),
      },
      "a run's end",
    ).optional(),
  },
  "writeRun",
).openapi("RunWriteBatch", { description: "Writes applied to a running run in one transaction." });

export const Series = z
  .object({ steps: z.array(z.number()), values: z.array(Num), timestamps: z.array(z.number()) })
  .openapi("MetricSeries");

const nums = z.array(Num.nullable());
export const DownsampledSeries = z
  .object({
    totalPoints: z.number().int(),
    downsampled: z.boolean(),
    steps: z.array(z.number()),
    lastSteps: z.array(z.number()),
    timestamps: z.array(z.number()),
    values: nums,
    min: nums,
    max: nums,
    counts: z.array(z.number().int()),
    nanCounts: z.array(z.number().int()),
  })
  .openapi("DownsampledSeries", {
    description:
      "Buckets of equal step width: first and last step, first time, mean, min and max of the values (NaN counted apart), point count.",
  });

export const ExperimentSummary = Experiment.extend({
  runCount: z.number().int(),
  statusCounts: z.record(z.string(), z.number().int()),
  lastActivityAt: z.string().nullable(),
}).openapi("ExperimentSummary");

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

const Threshold = strict(
  {
    min: z.number().optional(),
    max: z.number().optional(),
    passWhen: z.boolean().optional(),
    passingCategories: z.array(z.string()).optional(),
  },
  "a threshold",
);

export const MetricDefinitionInput = strict(
  {
    name: z.string(),
    kind: z.enum(["range", "rubric"]),
    direction: z.enum(["higher", "lower"]).optional(),
    threshold: Threshold.optional(),
    categories: z.array(z.string()).optional(),
  },
  "defineMetric",
).openapi("MetricDefinitionInput");

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
