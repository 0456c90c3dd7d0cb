/** Decodes labbook's tagged JSON: `{"$float": "NaN"}` and the infinities become numbers. */
export function parseTagged(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const o = value as Record<string, unknown>;
      if (typeof o.$float === "string" && Object.keys(o).length === 1) return Number(o.$float);
      if (typeof o.$date === "string" && Object.keys(o).length === 1) return o.$date;
    }
    return value;
  });
}
