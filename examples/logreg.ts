// A small logistic regression, trained by mini-batch gradient descent, for the example sweep.
// Pure computation, seeded by labbook's own PRNG (mulberry32): the same numbers on every machine.
import { createRng as rng } from "labbook";

/** A standard normal draw (Box-Muller). */
function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

export interface Point {
  id: string;
  x: number;
  y: number;
  label: 0 | 1;
}

/**
 * Two noisy concentric rings (class 0 inside, radius ~1; class 1 outside, radius ~2) with 5%
 * flipped labels: not linearly separable in (x, y), separable with quadratic features.
 */
export function rings(n: number, seed: number, prefix: string): Point[] {
  const rand = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const label = (i % 2) as 0 | 1;
    const r = (label === 0 ? 1 : 2) + 0.3 * normal(rand);
    const angle = 2 * Math.PI * rand();
    const flipped = rand() < 0.05 ? ((1 - label) as 0 | 1) : label;
    return {
      id: `${prefix}-${String(i).padStart(4, "0")}`,
      x: r * Math.cos(angle),
      y: r * Math.sin(angle),
      label: flipped,
    };
  });
}

export const FEATURES = ["x", "y", "x2", "y2", "xy"] as const;

function rawFeatures(p: Point): number[] {
  return [p.x, p.y, p.x * p.x, p.y * p.y, p.x * p.y];
}

/** Features standardised with the training set's mean and standard deviation. */
export interface Scaler {
  mean: number[];
  std: number[];
}

export function fitScaler(points: readonly Point[]): Scaler {
  const rows = points.map(rawFeatures);
  const mean = FEATURES.map((_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
  const std = FEATURES.map(
    (_, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / rows.length) || 1,
  );
  return { mean, std };
}

export function features(p: Point, s: Scaler): number[] {
  return rawFeatures(p).map((v, j) => (v - s.mean[j]!) / s.std[j]!);
}

export interface Model {
  w: number[];
  b: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** P(label = 1). */
export function predict(m: Model, f: readonly number[]): number {
  let z = m.b;
  for (let j = 0; j < f.length; j++) z += m.w[j]! * f[j]!;
  return sigmoid(z);
}

/** Mean cross-entropy, and accuracy at 0.5. */
export function evaluate(
  m: Model,
  xs: readonly number[][],
  ys: readonly number[],
): { loss: number; acc: number } {
  let loss = 0;
  let correct = 0;
  xs.forEach((f, i) => {
    const p = Math.min(Math.max(predict(m, f), 1e-12), 1 - 1e-12);
    const y = ys[i]!;
    loss -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
    if ((p >= 0.5 ? 1 : 0) === y) correct++;
  });
  return { loss: loss / xs.length, acc: correct / xs.length };
}

export interface TrainConfig {
  lr: number;
  l2: number;
  epochs: number;
  batchSize: number;
  seed: number;
}

/**
 * Mini-batch gradient descent on cross-entropy + `l2/2 * |w|^2`; the seed picks the initial
 * weights and the order of the batches. Calls `onEpoch` after each epoch.
 */
export function train(
  xs: readonly number[][],
  ys: readonly number[],
  cfg: TrainConfig,
  onEpoch: (epoch: number, model: Model) => void,
): Model {
  const rand = rng(cfg.seed * 7919 + 1);
  const d = xs[0]!.length;
  const model: Model = { w: Array.from({ length: d }, () => 0.1 * normal(rand)), b: 0 };
  const order = xs.map((_, i) => i);
  for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let start = 0; start < order.length; start += cfg.batchSize) {
      const batch = order.slice(start, start + cfg.batchSize);
      const gw = new Array<number>(d).fill(0);
      let gb = 0;
      for (const i of batch) {
        const err = predict(model, xs[i]!) - ys[i]!;
        for (let j = 0; j < d; j++) gw[j]! += err * xs[i]![j]!;
        gb += err;
      }
      for (let j = 0; j < d; j++) model.w[j]! -= cfg.lr * (gw[j]! / batch.length + cfg.l2 * model.w[j]!);
      model.b -= (cfg.lr * gb) / batch.length;
    }
    onEpoch(epoch, model);
  }
  return model;
}

/** The example's data set (two noisy rings from fixed seeds), scaled by the training set. */
export function ringsData() {
  const trainSet = rings(600, 2026, "train");
  const testSet = rings(300, 4052, "test");
  const scaler = fitScaler(trainSet);
  return {
    testSet,
    scaler,
    trainX: trainSet.map((p) => features(p, scaler)),
    trainY: trainSet.map((p) => p.label),
    testX: testSet.map((p) => features(p, scaler)),
    testY: testSet.map((p) => p.label),
  };
}
