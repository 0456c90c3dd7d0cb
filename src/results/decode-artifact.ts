import { decodeJson } from "../core/codec.js";
import type { ArtifactDescriptor } from "../core/types.js";

/** Artifact kinds read back as text. */
export const TEXT_KINDS: ReadonlySet<string> = new Set(["text", "log", "markdown", "csv", "html", "jsonl"]);

/**
 * An artifact's value as a user logged it: JSON parsed (NaN and typed arrays restored) for the
 * `json` kind, a string for text kinds and `text/*` media types, bytes otherwise.
 *
 * @example
 * const { descriptor, bytes } = await store.getArtifact(runId, "weights");
 * decodeArtifact(descriptor, bytes); // { w: [...], b: 0.1 }
 */
export function decodeArtifact(descriptor: ArtifactDescriptor, bytes: Uint8Array): unknown {
  if (descriptor.kind === "json") return decodeJson(Buffer.from(bytes).toString("utf8"));
  if (TEXT_KINDS.has(descriptor.kind) || descriptor.mediaType.startsWith("text/")) {
    return Buffer.from(bytes).toString("utf8");
  }
  return bytes;
}
