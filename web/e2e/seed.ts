import { crc32, deflateSync } from "node:zlib";
import { createRng, type Store } from "../../src/index.js";

/** A 16x16 PNG (a red square on blue), made here, to preview as an image artifact. */
export function tinyPng(): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(16, 0);
  ihdr.writeUInt32BE(16, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc(16 * (1 + 16 * 3));
  for (let y = 0; y < 16; y++) {
    for (let x = 0; x < 16; x++) {
      const inside = x >= 4 && x < 12 && y >= 4 && y < 12;
      raw.set(inside ? [220, 40, 40] : [40, 80, 200], y * 49 + 1 + x * 3);
    }
  }
  const sig = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return new Uint8Array(
    Buffer.concat([
      sig,
      chunk("IHDR", ihdr),
      chunk("IDAT", deflateSync(raw)),
      chunk("IEND", Buffer.alloc(0)),
    ]),
  );
}

export interface Seeded {
  /** Run ids by config `model/lr/seed`. */
  ids: Map<string, string>;
  failedId: string;
}

/**
 * A small sweep through the public API: experiment `sweep` (models a and b x three learning
 * rates x three seeds = 18 runs) with metrics, a loss series of 300 steps, 60 scored rows,
 * artifacts (JSON, text, PNG) and data; one failed run with a stack.
 */
export async function seedSweep(store: Store): Promise<Seeded> {
  const ids = new Map<string, string>();
  await store.defineMetric(
    (
      await store.ensureExperiment({
        name: "sweep",
        version: "1.0.0",
        description: "lr x model over 3 seeds",
      })
    ).experimentId,
    { name: "correct", kind: "range", threshold: { passWhen: true } },
  );
  for (const model of ["a", "b"]) {
    for (const lr of [0.001, 0.01, 0.1]) {
      for (const seed of [0, 1, 2]) {
        const rng = createRng(seed * 100 + lr * 1000 + (model === "b" ? 7 : 0));
        const skill = (model === "b" ? 0.8 : 0.7) + (lr === 0.01 ? 0.08 : 0) + rng() * 0.04;
        const run = await store.startRun({
          experiment: "sweep:1.0.0",
          name: `${model}-lr${lr}-s${seed}`,
          params: { model, optimizer: { lr, momentum: 0.9 }, layers: [64, 32] },
          seed,
          tags: {
            stage: seed === 0 ? "dev" : "prod",
            ...(model === "a" && lr === 0.01 ? { baseline: "" } : {}),
          },
        });
        for (let step = 0; step < 300; step++) {
          const spike = step === 150 && seed === 1 ? 5 : 0;
          void run.logMetrics({ loss: 2 * Math.exp(-step * lr * 3) + rng() * 0.05 + spike }, { step });
        }
        const rows = Array.from({ length: 60 }, (_, i) => {
          const correct = rng() < skill;
          return {
            datapointId: `q${String(i).padStart(3, "0")}`,
            item: { question: `What is ${i} + ${i}?` },
            output: correct ? String(2 * i) : String(2 * i + 1),
            scores: {
              correct,
              prob: correct ? 0.6 + rng() * 0.4 : rng() * 0.6,
              grade: correct ? "good" : rng() < 0.5 ? "fair" : "poor",
            },
          };
        });
        await run.logRows(rows);
        await run.logMetrics({
          acc: rows.filter((r) => r.scores.correct).length / rows.length,
          final_loss: 2 * Math.exp(-900 * lr),
        });
        await run.logArtifact("config.json", { model, lr, seed });
        await run.logArtifact("notes.txt", `model ${model}, lr ${lr}, seed ${seed}\nall good\n`);
        await run.logArtifact("plot.png", tinyPng(), { mediaType: "image/png", kind: "image" });
        await run.logData("confusion", [
          [10, 2],
          [3, 45],
        ]);
        await run.finish();
        ids.set(`${model}/${lr}/${seed}`, run.runId);
      }
    }
  }
  const bad = await store.startRun({
    experiment: "sweep:1.0.0",
    name: "diverged",
    params: { model: "c", optimizer: { lr: 10, momentum: 0.9 } },
    seed: 0,
  });
  await bad.logMetrics({ loss: Number.NaN }, { step: 0 });
  const err = new Error("loss is NaN at step 0");
  err.stack = "Error: loss is NaN at step 0\n    at train (train.ts:42:11)\n    at main (train.ts:80:3)";
  await bad.fail(err);
  return { ids, failedId: bad.runId };
}
