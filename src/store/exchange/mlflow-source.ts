/** An MLflow experiment as read from a file store or a tracking database. */
export interface MlflowExperiment {
  id: string;
  name: string;
  artifactLocation: string | null;
  lifecycleStage: string;
  creationTime: number | null;
  tags: Record<string, string>;
}

/** One logged metric value. */
export interface MlflowMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** An MLflow run, everything the importer keeps. */
export interface MlflowRun {
  runId: string;
  experimentId: string;
  name: string | null;
  /** `RUNNING`, `SCHEDULED`, `FINISHED`, `FAILED` or `KILLED`. */
  status: string;
  startTime: number | null;
  endTime: number | null;
  userId: string | null;
  sourceType: string | null;
  sourceName: string | null;
  sourceVersion: string | null;
  entryPointName: string | null;
  artifactUri: string | null;
  lifecycleStage: string;
  params: Record<string, string>;
  tags: Record<string, string>;
  metrics: MlflowMetric[];
}

/** A run that could not be read, by id. */
export interface MlflowBadRun {
  runId: string;
  experimentId: string;
  error: string;
}

/** Where MLflow data is read from: a file store folder or a tracking database. */
export interface MlflowSource {
  /** What was given (a folder, `sqlite:///...`). */
  readonly description: string;
  experiments(): Promise<MlflowExperiment[]>;
  /** How many runs the experiment has (for the progress bar). */
  countRuns(experimentId: string): Promise<number>;
  runs(experiment: MlflowExperiment): AsyncIterable<MlflowRun | MlflowBadRun>;
  /** The local folder of a run's artifacts, or null when they are not on this machine. */
  artifactFolder(run: MlflowRun): Promise<string | null>;
  close(): Promise<void>;
}

/** MLflow's run statuses by their number in a file store's `meta.yaml`. */
export const STATUS_BY_NUMBER: Record<number, string> = {
  1: "RUNNING",
  2: "SCHEDULED",
  3: "FINISHED",
  4: "FAILED",
  5: "KILLED",
};
