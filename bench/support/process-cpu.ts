/**
 * CPU time of a process and its descendants, read from `/proc` (Linux): what a server spent on a
 * load, whatever else the machine ran meanwhile. `null` where `/proc` is not readable.
 */
import { readdirSync, readFileSync } from "node:fs";

/** The fields of `/proc/<pid>/stat` after the command name. */
function statFields(pid: number): string[] | null {
  try {
    const st = readFileSync(`/proc/${pid}/stat`, "utf8");
    return st.slice(st.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** `pid` and every process below it. */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [pid];
  }
  for (const d of entries) {
    if (!/^\d+$/.test(d)) continue;
    const f = statFields(Number(d));
    if (!f) continue;
    const ppid = Number(f[1]);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(d)]);
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of parents.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

/** User + system CPU milliseconds of these processes so far (`null` without `/proc`). */
export function cpuMs(pids: readonly number[]): number | null {
  let sum = 0;
  let seen = false;
  for (const pid of pids) {
    const f = statFields(pid);
    if (!f) continue;
    seen = true;
    sum += ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks of 10 ms
  }
  return seen ? sum : null;
}
