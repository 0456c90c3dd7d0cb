import { fmtValue } from "../format.ts";

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Nested params as a tree: objects collapse and expand (open two levels deep at first). */
export function ParamsTree({ value, depth = 0 }: { value: Record<string, unknown>; depth?: number }) {
  const entries = Object.entries(value);
  if (entries.length === 0) return <p class="muted">none</p>;
  return (
    <div class="tree">
      {entries.map(([k, v]) =>
        isObject(v) ? (
          <details key={k} open={depth < 2}>
            <summary>
              {k} <span class="muted">{`{${Object.keys(v).length}}`}</span>
            </summary>
            <ParamsTree value={v} depth={depth + 1} />
          </details>
        ) : (
          <div key={k} class="leaf">
            {k}: <strong>{fmtValue(v)}</strong>
          </div>
        ),
      )}
    </div>
  );
}
