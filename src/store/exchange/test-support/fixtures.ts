import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The folder of the shared MLflow fixtures: `shared/fixtures/mlflow` beside the repository (the
 * nearest folder above it that holds one; `$LABBOOK_FIXTURES` overrides).
 */
export function mlflowFixtures(): string {
  if (process.env.LABBOOK_FIXTURES) return join(process.env.LABBOOK_FIXTURES, "mlflow");
  let dir = import.meta.dirname;
  for (;;) {
    const candidate = join(dir, "shared", "fixtures", "mlflow");
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error("shared/fixtures/mlflow not found above the repository");
    dir = up;
  }
}
