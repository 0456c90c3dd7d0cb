/** One stored object: its key (relative to the store's root or prefix) and size in bytes. */
export interface BlobEntry {
  key: string;
  size: number;
}

/**
 * Where artifact bytes live: a local folder (embedded) or an S3-compatible bucket (team). Keys
 * are `/`-separated paths under the store's root; the run's folder is its first part.
 */
export interface ArtifactBlobStore {
  /** Writes bytes under `key` atomically and returns their size and SHA-256 digest. */
  put(key: string, source: Uint8Array | AsyncIterable<Uint8Array>): Promise<{ size: number; digest: string }>;
  /**
   * Optional: {@link put} synchronously, for a process that is exiting (a local folder has it;
   * a bucket over the network does not).
   */
  putNow?(key: string, bytes: Uint8Array): { size: number; digest: string };
  /** Reads the bytes under `key` as a stream. */
  open(key: string): AsyncIterable<Uint8Array>;
  /** Reads all bytes under `key`. */
  read(key: string): Promise<Uint8Array>;
  /** Removes every key under a prefix (a run's folder); missing keys are fine. */
  deletePrefix(prefix: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Every key that starts with `prefix` (a folder's prefix ends in `/`). */
  list(prefix: string): AsyncIterable<BlobEntry>;
}
