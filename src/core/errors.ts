/**
 * The one error class of labbook, with a closed set of codes. HTTP statuses are
 * mapped from these codes only at the server boundary.
 */
export const ERROR_CODES = [
  "INVALID_ARGUMENT",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "FAILED_PRECONDITION",
  "UNAUTHENTICATED",
  "PERMISSION_DENIED",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_VERSION",
  "TIMEOUT",
  "CANCELLED",
  "UNAVAILABLE",
  "INTERNAL",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface LabbookErrorOptions {
  /** The field (dotted path) or query position the error is about. */
  field?: string;
  /** Machine-readable extra facts: `{ position, expected, received }`, ... */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * Every failure labbook reports on purpose. Messages name the field, the rule
 * and the value received.
 *
 * @example
 * try { await store.getRun("nope"); }
 * catch (e) { if (e instanceof LabbookError && e.code === "NOT_FOUND") console.log(e.message); }
 */
export class LabbookError extends Error {
  override readonly name = "LabbookError";
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: LabbookErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.details = options.details;
  }

  /** A plain JSON shape, as the HTTP API sends it: `{ code, message, details? }`. */
  toJSON(): { code: ErrorCode; message: string; details?: Record<string, unknown> } {
    const details = { ...(this.details ?? {}), ...(this.field ? { field: this.field } : {}) };
    return Object.keys(details).length > 0
      ? { code: this.code, message: this.message, details }
      : { code: this.code, message: this.message };
  }
}

/** True when `e` is a {@link LabbookError}, optionally of the given code. */
export function isLabbookError(e: unknown, code?: ErrorCode): e is LabbookError {
  return e instanceof LabbookError && (code === undefined || e.code === code);
}

/** Shorthand for an INVALID_ARGUMENT error naming the field, the rule and the value. */
export function invalid(field: string, rule: string, received?: unknown): LabbookError {
  const shown = received === undefined ? "" : `; received ${describeValue(received)}`;
  return new LabbookError("INVALID_ARGUMENT", `${field}: ${rule}${shown}`, {
    field,
    details: received === undefined ? undefined : { received: describeValue(received) },
  });
}

/** A short, safe description of a value for an error message. */
export function describeValue(v: unknown): string {
  if (typeof v === "function") return "a function";
  if (typeof v === "symbol") return "a symbol";
  if (typeof v === "bigint") return `${v}n`;
  if (v === undefined) return "undefined";
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  if (typeof v === "string") return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v instanceof Uint8Array) return `${v.byteLength} bytes`;
  if (v === null) return "null";
  if (typeof v === "object") return "an object";
  return String(v);
}
