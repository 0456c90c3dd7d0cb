import { expect, it } from "vitest";
import { LabbookError } from "../../core/errors.js";
import type { Store } from "../types.js";
import type { ContractContext } from "./suite.js";

/** Declares one contract case with a fresh store, honouring declared skips. */
export function contractCase(
  ctx: ContractContext,
  name: string,
  body: (store: Store) => Promise<void>,
): void {
  const reason = ctx.skipReason(name);
  if (reason) {
    it.skip(`${name} (skipped: ${reason})`, () => undefined);
    return;
  }
  it(name, async () => {
    const { store, cleanup } = await ctx.fresh();
    try {
      await body(store);
    } finally {
      await cleanup();
    }
  });
}

/** Asserts that `p` rejects with a LabbookError of `code` whose message matches `message`. */
export async function expectError(p: Promise<unknown> | (() => unknown), code: string, message?: RegExp) {
  let caught: unknown;
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    caught = e;
  }
  expect(caught, "expected an error").toBeInstanceOf(LabbookError);
  const err = caught as LabbookError;
  expect(err.code).toBe(code);
  if (message) expect(err.message).toMatch(message);
  return err;
}
