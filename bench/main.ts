/**
 * `npm run bench -- <name> [<name> ...] [--option value ...]` runs `bench/<name>.ts` (its default
 * export); options are read by the benchmarks that take them (`team`: `--store postgres://...`).
 * Every benchmark uses a fixed, seeded workload and prints medians and the ratio to a
 * baseline measured in the same process.
 */
import { readdirSync } from "node:fs";

const available = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith(".ts") && !["main.ts", "util.ts"].includes(f) && !f.endsWith(".test.ts"))
  .map((f) => f.slice(0, -3))
  .sort();
// Options (`--store URI`, `--runs N`, ...) belong to the benchmarks that read them.
const names = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith("--") && !all[i - 1]?.startsWith("--"));
if (names.length === 0) {
  console.log(`usage: npm run bench -- <name>\navailable: ${available.join(", ")}`);
  process.exit(2);
}
for (const name of names) {
  if (!available.includes(name)) {
    console.error(`unknown benchmark ${JSON.stringify(name)}; available: ${available.join(", ")}`);
    process.exit(2);
  }
  const mod = (await import(`./${name}.ts`)) as { default: () => Promise<void> };
  console.log(`\n== bench ${name}`);
  await mod.default();
}
