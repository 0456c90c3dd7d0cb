import { invalid } from "../../../../core/errors.js";
import type { PostgresTarget } from "./connect.js";

/** Schema names labbook accepts: plain SQL identifiers (no quoting needed anywhere). */
const SCHEMA_RE = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Reads a PostgreSQL store URI, `postgres://user:pass@host:5432/db` (or `postgresql://`), with
 * labbook's own query parameters `schema` (the schema of its tables, created when absent) and
 * `pool` (connections, default 10) and `pipeline` (`on`, the default: a write transaction sends
 * the statements whose answers it does not read without waiting for them; `off`: one round trip
 * per statement, for a proxy that cannot take pipelined statements), `parallel` and `jit` (`off`,
 * the default: the store's connections plan no parallel workers and compile no expressions, see
 * {@link PostgresTarget.parallel}; `on`: the server's setting); every other parameter (`sslmode`,
 * `application_name`, ...) goes to the driver as it is.
 *
 * @example
 * parsePostgresUri("postgres://u@db:5432/lab?schema=team&pool=20");
 * // { connectionString: "postgres://u@db:5432/lab", schema: "team", poolSize: 20, pipeline: true, parallel: false, jit: false }
 */
export function parsePostgresUri(uri: string): PostgresTarget {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw invalid("store", "must be a URI such as postgres://user:password@host:5432/database", redact(uri));
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw invalid("store", "must start with postgres:// or postgresql://", redact(uri));
  }
  const schema = url.searchParams.get("schema") ?? undefined;
  if (schema !== undefined && !SCHEMA_RE.test(schema)) {
    throw invalid(
      "schema",
      "must be letters, digits and '_', not starting with a digit (at most 63)",
      schema,
    );
  }
  const poolText = url.searchParams.get("pool");
  const poolSize = poolText === null ? 10 : Number(poolText);
  if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 1000) {
    throw invalid("pool", "must be a whole number from 1 to 1000", poolText);
  }
  const pipelineText = url.searchParams.get("pipeline") ?? "on";
  if (pipelineText !== "on" && pipelineText !== "off")
    throw invalid("pipeline", "must be on or off", pipelineText);
  const onOff = (name: string) => {
    const text = url.searchParams.get(name) ?? "off";
    if (text !== "on" && text !== "off") throw invalid(name, "must be on or off", text);
    return text === "on";
  };
  const parallel = onOff("parallel");
  const jit = onOff("jit");
  for (const name of ["schema", "pool", "pipeline", "parallel", "jit"]) url.searchParams.delete(name);
  return {
    connectionString: url.toString(),
    schema,
    poolSize,
    pipeline: pipelineText === "on",
    parallel,
    jit,
  };
}

/**
 * A URI with its password hidden, for messages and `store.uri`.
 *
 * @example
 * redact("postgres://u:secret@db/lab"); // "postgres://u:***@db/lab"
 */
export function redact(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, "$1***@");
}
