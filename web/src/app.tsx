import { useEffect, useRef, useState } from "preact/hooks";
import { isKeyNeeded, onKeyChange, setApiKey } from "./api.ts";
import { ComparePage } from "./pages/compare.tsx";
import { ExperimentsPage } from "./pages/experiments.tsx";
import { RunDetailPage } from "./pages/run-detail.tsx";
import { RunsPage } from "./pages/runs.tsx";
import { SweepsPage } from "./pages/sweeps.tsx";
import { onLink, useLocation } from "./router.ts";

const NAV = [
  ["/", "Experiments"],
  ["/runs", "Runs"],
  ["/compare", "Compare"],
  ["/sweeps", "Sweeps"],
] as const;

function KeyPrompt() {
  const [key, setKey] = useState("");
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <div class="modal" role="dialog" aria-modal="true" aria-labelledby="key-title">
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          setApiKey(key.trim());
        }}
      >
        <h2 id="key-title">API key</h2>
        <p>This server needs an API key (labbook keys create). It is kept for this browser session only.</p>
        <label>
          Key
          <input
            type="password"
            name="api-key"
            autoComplete="off"
            value={key}
            onInput={(e) => setKey((e.target as HTMLInputElement).value)}
            ref={input}
          />
        </label>
        <button type="submit" disabled={key.trim() === ""}>
          Use this key
        </button>
      </form>
    </div>
  );
}

function Page({ path }: { path: string }) {
  if (path === "/" || path === "/experiments") return <ExperimentsPage />;
  if (path === "/runs") return <RunsPage />;
  if (path.startsWith("/runs/")) return <RunDetailPage runId={decodeURIComponent(path.slice(6))} />;
  if (path === "/compare") return <ComparePage />;
  if (path === "/sweeps") return <SweepsPage />;
  return <p class="error">No page at {path}.</p>;
}

/** The page: a header with the sections, the current section, and the key prompt when needed. */
export function App() {
  const { path } = useLocation();
  const [needKey, setNeedKey] = useState(isKeyNeeded());
  useEffect(() => onKeyChange(() => setNeedKey(isKeyNeeded())), []);
  const section = path.startsWith("/runs") ? "/runs" : path === "/experiments" ? "/" : path;
  return (
    <>
      <header class="top">
        <a class="brand" href="/" onClick={onLink}>
          labbook
        </a>
        <nav aria-label="Sections">
          {NAV.map(([to, label]) => (
            <a key={to} href={to} onClick={onLink} aria-current={section === to ? "page" : undefined}>
              {label}
            </a>
          ))}
        </nav>
      </header>
      <main>
        <Page path={path} />
      </main>
      {needKey && <KeyPrompt />}
    </>
  );
}
