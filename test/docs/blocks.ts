/** The code blocks of the project's Markdown documents, as the docs test runs them. */
import { readFileSync } from "node:fs";

export interface DocBlock {
  /** `README.md`, `docs/query.md`... */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  /** `key=value` words of the info string after the language (`needs=postgres`). */
  tags: Record<string, string>;
  code: string;
}

/**
 * The docs' server ports (7870-7879, as `labbook serve --port 7878`) replaced by free ones, the
 * same port for the same number wherever it appears.
 */
export function withPorts(text: string, ports: (docPort: string) => number): string {
  return text.replace(/\b787\d\b/g, (p) => String(ports(p)));
}

/**
 * What a `needs=` tag (a comma-separated list) stands for. The test provides `postgres` (a
 * database `labbook` of role `labbook` on its throwaway cluster, reached through `$PGPORT` and
 * `$PGPASSWORD`) and `s3` (s3rver on loopback with a bucket `team-bucket`, reached through
 * `$LABBOOK_S3_ENDPOINT` and the AWS variables) and `mlflow` (the shared MLflow fixtures as the
 * user's own data: `./mlruns`, and `data/mlflow.db` with its artifact folder); a block needing
 * anything else is skipped with the reason printed.
 */
export const NEEDS: Record<string, { provided: true } | { skipped: string }> = {
  postgres: { provided: true },
  s3: { provided: true },
  root: {
    skipped:
      "installs system packages and runs commands as other system users (sudo); the test does what it does itself: a PostgreSQL role and database `labbook` on its own cluster, a bucket on s3rver",
  },
  browser: { skipped: "needs a browser" },
  mlflow: { provided: true },
  "mlflow-server": {
    skipped:
      "reads an MLflow tracking database on a PostgreSQL server of the reader's; src/store/exchange/mlflow-postgres.test.ts imports the MLflow fixture database loaded into the test cluster",
  },
  ci: {
    skipped:
      "runs the project's own checks (lint, type-check, build, the test suite, benchmarks): .ci/run runs them",
  },
};

/** The needs of a block (`needs=postgres,s3`). */
export function needsOf(block: DocBlock): string[] {
  return (block.tags.needs ?? "").split(",").filter((n) => n !== "");
}

/**
 * The fenced blocks of a Markdown file, in order.
 *
 * @example
 * docBlocks("README.md", text).filter((b) => b.lang === "ts");
 */
export function docBlocks(file: string, text = readFileSync(file, "utf8")): DocBlock[] {
  const out: DocBlock[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    const tags = Object.fromEntries(
      (open[2] ?? "")
        .split(/\s+/)
        .filter((w) => w.includes("="))
        .map((w) => [w.slice(0, w.indexOf("=")), w.slice(w.indexOf("=") + 1)]),
    );
    out.push({ file, line: start + 1, lang: open[1] ?? "", tags, code: `${body.join("\n")}\n` });
  }
  return out;
}

/**
 * A shell block as the test runs it: after `npm ci` (the environment is a clone after it,
 * so a bare `npm ci` line is already done and `npm ci && X` runs `X`), with the server ports
 * of the docs (7870-7879) replaced by free ones, and each `labbook serve` (or `labbook ui`) started in the
 * background, probed and stopped when the block ends (see the prelude).
 */
export function shellScript(code: string, ports: (docPort: string) => number): string {
  const lines = code.split("\n").map((line) => {
    const l = withPorts(line, ports);
    if (/^\s*npm ci\s*(#.*)?$/.test(l)) return `: ${l}`;
    const cmd = l.replace(/^\s*npm ci\s*&&\s*/, "");
    // A server command, last in its line (`npm run build && npx labbook ui`), also one sent to
    // the background as the docs write two replicas (`... &`).
    const m = /^(.*&&\s*)?(npx labbook\b.*\s(serve|ui)\b.*?)\s*&?\s*(#.*)?$/.exec(cmd.trim());
    return m ? `${m[1] ?? ""}__serve ${m[2]}` : cmd;
  });
  return `${PRELUDE}\n${lines.join("\n")}\n`;
}

const PRELUDE = [
  "set -euo pipefail",
  "# `npx labbook` runs the bin npm ci linked into node_modules/.bin: called directly here, which",
  "# is what npx runs, without starting npm first (a second of CPU per command).",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: bash, not a template
  'npx() { if [ "${1:-}" = labbook ]; then shift; "$PWD/node_modules/.bin/labbook" "$@"; else command npx "$@"; fi; }',
  "__groups=()",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: bash, not a template
  'trap \'for g in "${__groups[@]}"; do kill -TERM -- "-$g" 2>/dev/null || true; done; sleep 0.3\' EXIT',
  "trap 'exit 143' TERM INT # stopped from outside: the servers are stopped too",
  "# Starts a server command in the background (its own process group), waits for the address it",
  "# prints, asks its /healthz, and leaves it running until the block ends.",
  "__serve() {",
  '  local log url=""',
  "  log=$(mktemp)",
  '  setsid "$@" >"$log" 2>&1 &',
  '  __groups+=("$!")',
  "  for _ in $(seq 1 600); do",
  "    url=$(grep -o 'http://[^ ]*' \"$log\" | head -1 || true)",
  '    [ -n "$url" ] && break',
  '    kill -0 "$!" 2>/dev/null || { cat "$log" >&2; return 1; }',
  "    sleep 0.1",
  "  done",
  '  [ -n "$url" ] || { echo "no address from: $*" >&2; cat "$log" >&2; return 1; }',
  '  node -e \'fetch(process.argv[1] + "/healthz").then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))\' "$url"',
  '  echo "served at $url (/healthz answered)"',
  "}",
].join("\n");
