import type { Kysely } from "kysely";
import type { ArtifactBlobStore } from "../artifacts/types.js";
import type { Database } from "./schema.js";

/** What the SQL store's parts share: the database, the artifact blobs and the workspace. */
export interface SqlContext {
  db: Kysely<Database>;
  dialect: "sqlite" | "postgres";
  blobs: ArtifactBlobStore;
  workspace: string;
  uri: string;
  /** Closes the database and anything else the store opened. */
  close(): Promise<void>;
}
