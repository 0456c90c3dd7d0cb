import { type SpawnOptions, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A throwaway PostgreSQL cluster in a temporary folder, for tests and benchmarks. */
export interface PgCluster {
  /** `postgres://postgres@127.0.0.1:PORT` (no database: add `/NAME`). */
  url: string;
  port: number;
  dir: string;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

/**
 * The folder of the PostgreSQL server binaries (`initdb`, `pg_ctl`): `$LABBOOK_PG_BIN`, else
 * `/usr/lib/postgresql/<major>/bin` (Debian's layout), 15 preferred, else the newest; `null`
 * when there is none.
 *
 * @example
 * pgBinaries(); // "/usr/lib/postgresql/15/bin"
 */
export function pgBinaries(): string | null {
  const env = process.env.LABBOOK_PG_BIN;
  if (env) return existsSync(join(env, "initdb")) ? env : null;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const majors = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")) && existsSync(join(root, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  const pick = majors.includes("15") ? "15" : majors[0];
  return pick ? join(root, pick, "bin") : null;
}

/** A free TCP port on the loopback address. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The uid and gid of a local user, from `/etc/passwd`. */
function localUser(name: string): { uid: number; gid: number } | null {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}:`));
  const f = line?.split(":");
  return f && f.length > 3 ? { uid: Number(f[2]), gid: Number(f[3]) } : null;
}

function run(cmd: string, args: string[], options: SpawnOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout?.on("data", (d) => {
      out += d;
    });
    p.stderr?.on("data", (d) => {
      out += d;
    });
    p.once("error", reject);
    p.once("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}: ${out.trim()}`)),
    );
  });
}

export interface StartClusterOptions {
  /** Server settings (`-c name=value`); the defaults suit tests: more connections, no fsync. */
  settings?: Record<string, string | number>;
}

const TEST_SETTINGS = {
  max_connections: 300,
  fsync: "off",
  synchronous_commit: "off",
  full_page_writes: "off",
  shared_buffers: "128MB",
};

/**
 * Creates and starts a PostgreSQL cluster in a new temporary folder, on a free loopback port,
 * its unix sockets in that folder, trusting local connections of the user `postgres`. Run as
 * root, the server runs as the system user `postgres` (PostgreSQL refuses root).
 *
 * @example
 * const pg = await startPgCluster("/usr/lib/postgresql/15/bin");
 * const store = await openStore(`${pg.url}/postgres`);
 * await pg.stop();
 */
export async function startPgCluster(bin: string, options: StartClusterOptions = {}): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), "labbook-pg-"));
  const asUser = process.getuid?.() === 0 ? localUser("postgres") : null;
  if (process.getuid?.() === 0 && !asUser) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error("PostgreSQL cannot run as root and there is no user 'postgres' to run it as");
  }
  if (asUser) chownSync(dir, asUser.uid, asUser.gid);
  chmodSync(dir, 0o700);
  const spawnAs: SpawnOptions = asUser ? { uid: asUser.uid, gid: asUser.gid, cwd: dir } : { cwd: dir };
  const data = join(dir, "data");
  const port = await freePort();
  try {
    await run(
      join(bin, "initdb"),
      ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
      spawnAs,
    );
    const settings = { ...TEST_SETTINGS, ...options.settings };
    const flags = [
      `-p ${port}`,
      "-c listen_addresses=127.0.0.1",
      `-c unix_socket_directories=${dir}`,
      ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`),
    ].join(" ");
    await run(join(bin, "pg_ctl"), ["-D", data, "-l", join(dir, "server.log"), "-w", "-o", flags, "start"], {
      ...spawnAs,
      env: { ...process.env, LC_ALL: "C" },
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}`,
    port,
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await run(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], spawnAs).catch(
        () => undefined,
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
