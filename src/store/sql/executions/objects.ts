import { LabbookError } from "../../../core/errors.js";
import type { ExecutionRef } from "../../execution-methods.js";
import type { SqlContext } from "../context.js";
import { chunks } from "../shared/encode.js";
import { insertRows } from "../write-tx.js";
import { getExecution } from "./records.js";

function checkLines(lines: readonly string[]): void {
  if (!Array.isArray(lines)) {
    throw new LabbookError("INVALID_ARGUMENT", "lines: must be an array of JSON object texts", {
      field: "lines",
    });
  }
  lines.forEach((line, i) => {
    let parsed: unknown;
    try {
      parsed = typeof line === "string" && !line.includes("\n") ? JSON.parse(line) : undefined;
    } catch {
      parsed = undefined;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new LabbookError(
        "INVALID_ARGUMENT",
        `lines[${i}]: must be one line of JSON holding an object; received ${JSON.stringify(String(line).slice(0, 80))}`,
        { field: `lines[${i}]` },
      );
    }
  });
}

/** Appends lines to an execution's `objects.jsonl` record in one transaction. */
export async function appendExecutionObjects(
  ctx: SqlContext,
  name: string,
  executionId: string,
  lines: readonly string[],
): Promise<void> {
  checkLines(lines);
  const exec = await getExecution(ctx, name, { executionId });
  if (lines.length === 0) return;
  await ctx.write(async (tx) => {
    const [last] = await tx.query<{ seq: number | null }>(
      ctx.db
        .selectFrom("execution_objects")
        .select((eb) => eb.fn.max("seq").as("seq"))
        .where("workspace", "=", ctx.workspace)
        .where("experiment_name", "=", exec.experimentName)
        .where("execution_id", "=", exec.executionId)
        .compile(),
    );
    const start = last?.seq === null || last?.seq === undefined ? 0 : Number(last.seq) + 1;
    await insertRows(
      ctx.db,
      tx,
      {
        table: "execution_objects",
        columns: ["workspace", "experiment_name", "execution_id", "seq", "line"],
      },
      lines.map((line, i) => [ctx.workspace, exec.experimentName, exec.executionId, start + i, line]),
    );
  });
}

/** An execution's lines in order, each ending in `\n`, read in pages. */
export async function* executionObjects(
  ctx: SqlContext,
  name: string,
  ref: ExecutionRef = {},
): AsyncIterable<string> {
  const exec = await getExecution(ctx, name, ref);
  let after = -1;
  for (;;) {
    const rows = await ctx.db
      .selectFrom("execution_objects")
      .select(["seq", "line"])
      .where("workspace", "=", ctx.workspace)
      .where("experiment_name", "=", exec.experimentName)
      .where("execution_id", "=", exec.executionId)
      .where("seq", ">", after)
      .orderBy("seq")
      .limit(1000)
      .execute();
    for (const r of rows) yield `${r.line}\n`;
    if (rows.length < 1000) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

/** Run id -> tags of an execution's runs: the run lines' ids, with the tags stored on the runs now. */
export async function tagsMap(
  ctx: SqlContext,
  name: string,
  ref: ExecutionRef = {},
): Promise<Record<string, Record<string, string>>> {
  const fromLines = new Map<string, Record<string, string>>();
  for await (const text of executionObjects(ctx, name, ref)) {
    const line = JSON.parse(text) as { kind?: string; runId?: string; tags?: Record<string, string> };
    if (line.kind === "run" && typeof line.runId === "string") fromLines.set(line.runId, line.tags ?? {});
  }
  const out: Record<string, Record<string, string>> = {};
  for (const [id, tags] of fromLines) out[id] = tags;
  for (const part of chunks([...fromLines.keys()], 500)) {
    const rows = await ctx.db
      .selectFrom("runs")
      .select(["run_id", "tags"])
      .where("workspace", "=", ctx.workspace)
      .where("run_id", "in", part)
      .execute();
    for (const r of rows) out[r.run_id] = JSON.parse(r.tags) as Record<string, string>;
  }
  return out;
}
