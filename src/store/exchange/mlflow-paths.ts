import { statSync } from "node:fs";
import { join, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** Synchronous: one stat per candidate, for each of thousands of runs (a thread-pool round trip each cost more). */
function isDir(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/**
 * A local folder for an MLflow artifact URI (`file:///...` or a plain path): the path itself when
 * it exists, else its longest tail found under `base` (data copied from another machine keeps
 * the absolute paths of the place it was written: `/srv/x/mlruns/1/abc/artifacts` is found as
 * `<base>/1/abc/artifacts`). Null for remote URIs (`s3://`, `mlflow-artifacts:`) and when nothing is found.
 *
 * @example
 * await localArtifactFolder("file:///srv/exp/mlruns/1/abc/artifacts", "/data/mlruns"); // "/data/mlruns/1/abc/artifacts"
 */
export async function localArtifactFolder(uri: string | null, base: string): Promise<string | null> {
  if (!uri) return null;
  let path: string;
  if (uri.startsWith("file:"))
    path = fileURLToPath(uri.startsWith("file:///") ? uri : `file://${uri.slice(5)}`);
  else if (/^[a-z][a-z0-9+.-]*:/i.test(uri)) return null;
  else path = uri;
  if (isDir(path)) return path;
  const parts = path.split(sep).filter((p) => p !== "");
  for (let i = 1; i <= parts.length - 3; i++) {
    const candidate = join(base, ...parts.slice(i));
    if (isDir(candidate)) return candidate;
  }
  return null;
}
