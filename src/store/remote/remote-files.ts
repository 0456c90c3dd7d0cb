import { LabbookError } from "../../core/errors.js";
import { checkOptions } from "../../core/known-keys.js";
import type { ArtifactDescriptor, DataDescriptor } from "../../core/types.js";
import { checkArtifactName } from "../../core/validate.js";
import type { ArtifactSource, PutArtifactOptions } from "../types.js";
import { PUT_ARTIFACT_KEYS } from "../validate-write.js";
import { type HttpClient, runPath } from "./http-client.js";
import { artifactBody, bodyChunks } from "./streams.js";

const enc = encodeURIComponent;

/** An artifact's descriptor from the headers of its download. */
function descriptorFrom(name: string, h: Headers): ArtifactDescriptor {
  const digest = h.get("x-labbook-digest");
  const size = Number(h.get("content-length"));
  if (!digest || !Number.isFinite(size)) {
    throw new LabbookError("UNAVAILABLE", `artifact ${name}: the server sent no size or digest headers`);
  }
  return {
    name,
    kind: h.get("x-labbook-artifact-kind") ?? "bytes",
    mediaType: h.get("content-type") ?? "application/octet-stream",
    size,
    digest,
    createdAt: h.get("x-labbook-created-at") ?? "",
  };
}

/**
 * Artifacts (streamed both ways) and structured data over HTTP. Names are checked before a
 * URL is built, so a name with `..` or `/` never reaches the server as a path.
 */
export const remoteFiles = {
  async putArtifact(
    http: HttpClient,
    runId: string,
    name: string,
    source: ArtifactSource,
    options: PutArtifactOptions,
  ): Promise<ArtifactDescriptor> {
    checkArtifactName(name);
    checkOptions(options, PUT_ARTIFACT_KEYS, "putArtifact"); // sent as headers: check them here
    return http.json("PUT", runPath(runId, `/artifacts/${enc(name)}`), {
      body: await artifactBody(source),
      headers: { "content-type": options.mediaType, "x-labbook-artifact-kind": options.kind },
    });
  },
  async listArtifacts(http: HttpClient, runId: string): Promise<ArtifactDescriptor[]> {
    return (await http.json<{ data: ArtifactDescriptor[] }>("GET", runPath(runId, "/artifacts"))).data;
  },
  async openArtifact(
    http: HttpClient,
    runId: string,
    name: string,
  ): Promise<{ descriptor: ArtifactDescriptor; stream: AsyncIterable<Uint8Array> }> {
    checkArtifactName(name);
    const res = await http.request("GET", runPath(runId, `/artifacts/${enc(name)}`));
    return { descriptor: descriptorFrom(name, res.headers), stream: bodyChunks(res.body) };
  },
  putData(http: HttpClient, runId: string, name: string, value: unknown): Promise<DataDescriptor> {
    checkArtifactName(name);
    return http.json("PUT", runPath(runId, `/data/${enc(name)}`), { json: { value } });
  },
  async getData(http: HttpClient, runId: string, name: string): Promise<unknown> {
    checkArtifactName(name);
    return (await http.json<{ value: unknown }>("GET", runPath(runId, `/data/${enc(name)}`))).value;
  },
  async listData(http: HttpClient, runId: string): Promise<DataDescriptor[]> {
    return (await http.json<{ data: DataDescriptor[] }>("GET", runPath(runId, "/data"))).data;
  },
};
