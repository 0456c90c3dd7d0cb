import type { Kysely } from "kysely";
import type { ArtifactBlobStore } from "../artifacts/types.js";
import type { Database } from "./schema.js";
import type { WriteTx } from "./write-tx.js";

/** What the SQL store's parts share: the database, the artifact blobs and the workspace. */
export interface SqlContext {
  db: Kysely<Database>;
  dialect: "sqlite" | "postgres";
  blobs: ArtifactBlobStore;
  workspace: string;
  uri: string;
  /**
   * Runs `fn` in one write transaction. Every statement inside goes through `tx` (never
   * `db`): the dialect may hold its only connection for the whole transaction.
   */
  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T>;
  /** Closes the database and anything else the store opened. */
  close(): Promise<void>;
}
