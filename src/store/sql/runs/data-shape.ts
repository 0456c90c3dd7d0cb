import type { DataDescriptor } from "../../../core/types.js";

const DTYPE: Record<string, string> = {
  Float64Array: "float64",
  Float32Array: "float32",
  Int32Array: "int32",
  Int16Array: "int16",
  Int8Array: "int8",
  Uint32Array: "uint32",
  Uint16Array: "uint16",
  Uint8Array: "uint8",
  Uint8ClampedArray: "uint8",
  BigInt64Array: "int64",
  BigUint64Array: "uint64",
};

/**
 * The dtype and shape of structured data: typed arrays by their class, nested
 * rectangular arrays of numbers as `float64` with their shape, anything else `object`.
 */
export function describeData(name: string, value: unknown): DataDescriptor {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const ta = value as unknown as { length: number; constructor: { name: string } };
    return { name, dtype: DTYPE[ta.constructor.name] ?? "bytes", shape: [ta.length] };
  }
  if (Array.isArray(value)) {
    const shape: number[] = [];
    let level: unknown = value;
    while (Array.isArray(level)) {
      shape.push(level.length);
      level = level[0];
    }
    const leafType = typeof level;
    return {
      name,
      dtype: leafType === "number" ? "float64" : leafType === "string" ? "string" : "object",
      shape,
    };
  }
  return { name, dtype: typeof value === "number" ? "float64" : "object", shape: [] };
}
