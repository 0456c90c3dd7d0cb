import { useState } from "preact/hooks";
import { download, enc, get, request } from "../api.ts";
import { Show } from "../components.tsx";
import { fmtBytes } from "../format.ts";
import type { Artifact } from "../types.ts";
import { useData } from "../use-data.ts";

const PREVIEW_BYTES = 200_000;

/** The first bytes of a response as text (the rest is not read). */
async function headText(res: Response, limit: number): Promise<{ text: string; cut: boolean }> {
  const reader = res.body!.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  while (size < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    size += value.byteLength;
  }
  const cut = size >= limit;
  await reader.cancel();
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.byteLength;
  }
  return { text: new TextDecoder().decode(all.subarray(0, limit)), cut };
}

type Preview = { name: string; text?: string; image?: string; cut?: boolean; error?: string };

const isText = (a: Artifact) =>
  a.mediaType.startsWith("text/") ||
  /json|xml|yaml|csv|javascript/.test(a.mediaType) ||
  a.kind === "json" ||
  a.kind === "text";

/** A run's artifacts with size and type; text, JSON and images previewed; each downloads. */
export function Artifacts({ runId }: { runId: string }) {
  const list = useData(
    (s) => get<{ data: Artifact[] }>(`/runs/${enc(runId)}/artifacts`, {}, s).then((r) => r.data),
    [runId],
  );
  const [preview, setPreview] = useState<Preview | null>(null);
  const path = (a: Artifact) => `/runs/${enc(runId)}/artifacts/${enc(a.name)}`;
  const show = async (a: Artifact) => {
    try {
      const res = await request("GET", path(a));
      if (a.mediaType.startsWith("image/")) {
        setPreview({ name: a.name, image: URL.createObjectURL(await res.blob()) });
        return;
      }
      const { text, cut } = await headText(res, PREVIEW_BYTES);
      let shown = text;
      if (!cut && (a.mediaType.includes("json") || a.kind === "json")) {
        try {
          shown = JSON.stringify(JSON.parse(text), null, 2);
        } catch {
          // not JSON after all: shown as text
        }
      }
      setPreview({ name: a.name, text: shown, cut });
    } catch (e) {
      setPreview({ name: a.name, error: (e as Error).message });
    }
  };
  return (
    <Show loaded={list}>
      {(artifacts) =>
        artifacts.length === 0 ? (
          <p class="muted">No artifact.</p>
        ) : (
          <>
            <div class="table-wrap">
              <table aria-label="Artifacts">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Kind</th>
                    <th>Type</th>
                    <th class="num">Size</th>
                    <th>Digest</th>
                    <th>
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {artifacts.map((a) => (
                    <tr key={a.name}>
                      <td>{a.name}</td>
                      <td>{a.kind}</td>
                      <td>{a.mediaType}</td>
                      <td class="num">{fmtBytes(a.size)}</td>
                      <td class="muted" title={a.digest}>
                        {a.digest.slice(0, 19)}…
                      </td>
                      <td>
                        {(isText(a) || a.mediaType.startsWith("image/")) && (
                          <button type="button" onClick={() => void show(a)} aria-label={`Preview ${a.name}`}>
                            Preview
                          </button>
                        )}{" "}
                        <button
                          type="button"
                          aria-label={`Download ${a.name}`}
                          onClick={async () => download(await request("GET", path(a)), a.name)}
                        >
                          Download
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {preview && (
              <section aria-label={`Preview of ${preview.name}`}>
                <h3>
                  {preview.name}{" "}
                  <button type="button" onClick={() => setPreview(null)}>
                    Close
                  </button>
                </h3>
                {preview.error && <p class="error">{preview.error}</p>}
                {preview.image && <img class="preview" src={preview.image} alt={preview.name} />}
                {preview.text !== undefined && <pre>{preview.text}</pre>}
                {preview.cut && (
                  <p class="muted">First {fmtBytes(PREVIEW_BYTES)} shown; download for the rest.</p>
                )}
              </section>
            )}
          </>
        )
      }
    </Show>
  );
}

/** A run's structured data: names, dtypes and shapes; a value shown on demand. */
export function DataList({ runId }: { runId: string }) {
  const list = useData(
    (s) =>
      get<{ data: { name: string; dtype: string; shape: number[] }[] }>(
        `/runs/${enc(runId)}/data`,
        {},
        s,
      ).then((r) => r.data),
    [runId],
  );
  const [open, setOpen] = useState<{ name: string; text: string } | null>(null);
  return (
    <Show loaded={list}>
      {(data) =>
        data.length === 0 ? (
          <p class="muted">No structured data.</p>
        ) : (
          <>
            <ul>
              {data.map((d) => (
                <li key={d.name}>
                  <button
                    type="button"
                    onClick={async () => {
                      const v = await get<{ value: unknown }>(`/runs/${enc(runId)}/data/${enc(d.name)}`);
                      const text = JSON.stringify(v.value, null, 2) ?? "";
                      setOpen({
                        name: d.name,
                        text: text.length > PREVIEW_BYTES ? `${text.slice(0, PREVIEW_BYTES)}\n…` : text,
                      });
                    }}
                  >
                    {d.name}
                  </button>{" "}
                  <span class="muted">
                    {d.dtype} [{d.shape.join(" × ")}]
                  </span>
                </li>
              ))}
            </ul>
            {open && (
              <section aria-label={`Data ${open.name}`}>
                <h3>{open.name}</h3>
                <pre>{open.text}</pre>
              </section>
            )}
          </>
        )
      }
    </Show>
  );
}
