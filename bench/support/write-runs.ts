/**
 * `node --import tsx write-runs.ts STORE FROM COUNT [whole|batched]`: opens the store, prints
 * `ready`, waits for `go` on stdin, then logs runs FROM..FROM+COUNT-1 through the public API (5
 * params, 5 metrics, seeded by the run's number; `whole` adds 3 rows and an artifact, where
 * `$LABBOOK_ARTIFACTS` says), for the team benchmark; at the end, on PostgreSQL, prints `counts
 * {...}` (statements and round trips of its write transactions). `batched` logs the same whole
 * runs as a client that sends each run at once does: `prepareRun`, one `writeRun` with the run's
 * creation, metrics, rows and end, then `putArtifact` (one run at a time). `by-hand` (PostgreSQL,
 * the floor beside them) sends through node-postgres only what any run needs, in the two commits
 * of a run visible from its start: the run's row (`returning id`), commit; its 5 metrics and its
 * end, commit; no param leaves, rows, artifact, field summaries or change records.
 */
import { createHash, randomUUID } from "node:crypto";
import pg from "pg";
import { openStore } from "../../src/index.js";
import { parsePostgresUri } from "../../src/store/sql/dialects/postgres/uri.js";
import { seeded } from "../util.js";

const [uri, fromText, countText, kind] = process.argv.slice(2);
const store = await openStore(uri!);
process.stdout.write("ready\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
const from = Number(fromText);
if (kind === "by-hand") await byHand();
for (let i = from; kind !== "by-hand" && i < from + Number(countText); i++) {
  if (kind === "batched") {
    await batched(i);
    continue;
  }
  const rnd = seeded(i);
  const run = await store.startRun({
    experiment: "search",
    params: paramsOf(i, rnd),
  });
  await run.logMetrics({ acc: rnd(), loss: rnd(), f1: rnd(), precision: rnd(), recall: rnd() });
  if (kind === "whole") {
    await run.logRows([0, 1, 2].map((k) => ({ datapointId: `d${k}`, scores: { em: (i + k) % 2 } })));
    await run.logArtifact("note.txt", `run ${i}`);
  }
  await run.finish();
}
/** Run `i`'s params: the first draws of its seeded generator. */
function paramsOf(i: number, rnd: () => number) {
  return {
    lr: 10 ** -(1 + Math.floor(rnd() * 4)),
    model: rnd() < 0.5 ? "a" : "b",
    depth: 1 + Math.floor(rnd() * 8),
    dropout: rnd() / 2,
    i,
  };
}

/** Run `i` as one prepared run written whole, then its artifact. */
async function batched(i: number) {
  const rnd = seeded(i);
  const create = await store.prepareRun({
    experiment: "search",
    params: paramsOf(i, rnd),
  });
  const now = Date.now();
  const metrics = { acc: rnd(), loss: rnd(), f1: rnd(), precision: rnd(), recall: rnd() };
  await store.writeRun(create.runId, {
    create,
    metrics: Object.entries(metrics).map(([name, value]) => ({ name, value, step: null, timestamp: now })),
    rows: [0, 1, 2].map((k) => ({ datapointId: `d${k}`, scores: { em: (i + k) % 2 } })),
    end: { status: "success", finishedAt: now },
  });
  await store.putArtifact(create.runId, "note.txt", new TextEncoder().encode(`run ${i}`), {
    kind: "file",
    mediaType: "text/plain",
  });
}

/** Runs FROM..FROM+COUNT-1 as hand-written statements (see the head of this file). */
async function byHand() {
  const target = parsePostgresUri(uri!);
  const client = new pg.Client(target.connectionString);
  await client.connect();
  if (target.schema) await client.query(`set search_path to "${target.schema}"`);
  for (let i = from; i < from + Number(countText); i++) {
    const rnd = seeded(i);
    const json = JSON.stringify(paramsOf(i, rnd));
    const at = Date.now();
    await client.query("begin");
    const { rows } = await client.query(
      "insert into runs (workspace, run_id, experiment_name, experiment_version, status, params, seed, tags, created_at, started_at, params_fp, seed_fp, context_fp, heartbeat_at) values ('default', $1, 'search', '', 'running', $2, 'null', '{}', $3, $3, $4, $5, $5, $3) returning id",
      [randomUUID().replace(/-/g, ""), json, at, createHash("sha256").update(json).digest("hex"), "-"],
    );
    await client.query("commit");
    await client.query("begin");
    await client.query(
      "insert into run_metrics (run_pk, name, value, nan, step, ts, pending) select $1, n, v, 0, null, $2, 0 from unnest($3::text[], $4::float8[]) as t(n, v)",
      [rows[0].id, at, ["acc", "loss", "f1", "precision", "recall"], [rnd(), rnd(), rnd(), rnd(), rnd()]],
    );
    await client.query(
      "update runs set status = 'success', finished_at = $1, duration_ms = $2 where id = $3",
      [Date.now(), Date.now() - at, rows[0].id],
    );
    await client.query("commit");
  }
  await client.end();
}

// The write transactions' statements and round trips (PostgreSQL), read by the benchmark.
const counts = (store as { ctx?: { writeCounts?: object } }).ctx?.writeCounts;
if (counts) process.stdout.write(`counts ${JSON.stringify(counts)}\n`);
await store.close();
