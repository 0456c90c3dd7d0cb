import { describe, expect, it } from "vitest";
import type { ScoreValue } from "../../../core/types.js";
import { idOrder } from "./row-index.js";
import { columnOf, decodeChunks, encodeChunk, valueAt } from "./score-chunk-codec.js";

const values = (vs: ScoreValue[]) => {
  const chunk = encodeChunk(
    columnOf(
      vs.map((_, i) => i + 1),
      vs,
    ),
  );
  return {
    chunk,
    back: (extra: ScoreValue[] = []) => {
      const col = decodeChunks([
        chunk,
        encodeChunk(
          columnOf(
            extra.map((_, i) => 100 + i),
            extra,
          ),
        ),
      ]);
      return Array.from({ length: col.count }, (_, i) => valueAt(col, i));
    },
  };
};

describe("score chunk codec", () => {
  it("leaves the tags blob empty when every value is a number, and reads them back", () => {
    const { chunk, back } = values([1, Number.NaN, -0, Number.POSITIVE_INFINITY]);
    expect(chunk.tags.length).toBe(0);
    expect(chunk.nums.length).toBe(32);
    expect(back(["x", null])).toEqual([1, Number.NaN, -0, Number.POSITIVE_INFINITY, "x", null]);
  });

  it("leaves the nums blob empty when no value is numeric, and reads them back", () => {
    const { chunk, back } = values(["good", null, "bad"]);
    expect(chunk.nums.length).toBe(0);
    expect(chunk.tags.length).toBe(3);
    expect(back([true, 2])).toEqual(["good", null, "bad", true, 2]);
  });

  it("keeps both blobs for mixed values", () => {
    const { chunk, back } = values([true, 1.5, null]);
    expect([chunk.tags.length, chunk.nums.length]).toEqual([3, 24]);
    expect(back()).toEqual([true, 1.5, null]);
  });
});

describe("idOrder", () => {
  it("orders compact and sparse id sets as a sort would", () => {
    const compact = Float64Array.of(7, 3, 5, 4, 9);
    expect(Array.from(idOrder(compact), (i) => compact[i])).toEqual([3, 4, 5, 7, 9]);
    const sparse = Float64Array.of(1e9, 3, 5e6, 12);
    expect(Array.from(idOrder(sparse), (i) => sparse[i])).toEqual([3, 12, 5e6, 1e9]);
    expect(idOrder(new Float64Array(0))).toEqual(new Uint32Array(0));
  });
});
