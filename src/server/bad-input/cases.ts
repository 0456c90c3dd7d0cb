import type { ErrorCode } from "../../core/errors.js";
import type { Store } from "../../store/types.js";
import type { Via, World } from "./world.js";

/** A bad input: refused with `code` (default `INVALID_ARGUMENT`) and a message matching `message`. */
export interface Refusal {
  name: string;
  call: (s: Store, w: World, via: Via) => Promise<unknown>;
  code?: ErrorCode;
  message: RegExp;
  /** Only one way in can express it (an option of the embedded store...). */
  only?: Via;
}

/** An input that must work: `check` asserts on what `call` returned. */
export interface Works {
  name: string;
  call: (s: Store, w: World, via: Via) => Promise<unknown>;
  check: (result: never, w: World) => void;
}

/** `n` values that match nothing, then `hits`. */
export function longList<T>(n: number, miss: (i: number) => T, hits: T[]): T[] {
  return [...Array.from({ length: n - hits.length }, (_, i) => miss(i)), ...hits];
}

/** A value of the string syntax. */
export const lit = (v: string | number) => (typeof v === "string" ? JSON.stringify(v) : String(v));
