import type { Store } from "../types.js";
import type { RunsPass } from "./layout-runs.js";

/** `experiment_io_spec.yml`: the JSON Schemas of an experiment version's inputs and outputs. */
export interface IoSpec {
  experiment_id: string;
  /** `execution`: the schemas of the version's latest execution (declared by the experiment, or inferred when it ran); `inferred`: from the exported runs. */
  source: "execution" | "inferred";
  input: Record<string, unknown>;
  output: Record<string, unknown>;
}

/** The schemas of the version's latest execution manifest, else those inferred from the runs. */
export async function ioSpec(
  store: Store,
  name: string,
  version: string,
  exportId: string,
  pass: RunsPass,
  artifactNames: readonly string[],
): Promise<IoSpec> {
  const executions = (await store.listExecutions(name)).filter(
    (e) => e.experimentVersion === version && e.manifest,
  );
  const manifest = executions[0]?.manifest;
  const files = Object.fromEntries(
    artifactNames.map((a) => [a, { type: "string", format: "uri", description: "file reference" }]),
  );
  if (manifest) {
    const output = { ...manifest.outputsSchema };
    const props = (output.properties as Record<string, unknown> | undefined) ?? {};
    return {
      experiment_id: exportId,
      source: "execution",
      input: manifest.paramsSchema,
      output: artifactNames.length > 0 ? { ...output, properties: { ...props, ...files } } : output,
    };
  }
  const output = pass.outputs.schema();
  const props = (output.properties as Record<string, unknown> | undefined) ?? {};
  return {
    experiment_id: exportId,
    source: "inferred",
    input: pass.inputs.schema(),
    output:
      artifactNames.length > 0 ? { ...output, type: "object", properties: { ...props, ...files } } : output,
  };
}
