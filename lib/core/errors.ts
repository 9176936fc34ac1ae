/**
 * Coded errors. Adapters map every AWS failure to one of these codes exactly once (lib/aws/errors.ts);
 * pages and actions switch on `code`, never on message text.
 */
export type ErrorCode =
  | "NotFound"
  | "AccessDenied"
  | "Throttled"
  | "InvalidInput"
  | "Conflict"
  | "Unavailable"
  /** The endpoint does not implement the operation (an AWS-compatible emulator, an old region): not a missing resource. */
  | "Unsupported"
  | "Timeout"
  | "Unauthenticated"
  /** A request body over the console's limit (API routes): refused unread. */
  | "TooLarge"
  /** A leader's fenced write after its lease changed hands (lib/store/leases.ts): nothing was written. */
  | "LeaseLost";

// A registry symbol, the same in every copy of this module: Next bundles the server more than once
// (instrumentation, routes, pages), and an error made by one bundle's store (kept on globalThis) must still be
// recognised by another's `instanceof`.
const BRAND = Symbol.for("fleetscope.error");

export class FleetscopeError extends Error {
  readonly code: ErrorCode;
  /** Safe to show to the user: no credentials, no stack. */
  readonly details?: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message: string,
    details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "FleetscopeError";
    this.code = code;
    this.details = details;
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && BRAND in value;
  }
}

export const isFleetscopeError = (e: unknown): e is FleetscopeError => e instanceof FleetscopeError;

export const notFound = (message: string, details?: Record<string, unknown>) =>
  new FleetscopeError("NotFound", message, details);
export const invalidInput = (message: string, details?: Record<string, unknown>) =>
  new FleetscopeError("InvalidInput", message, details);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new FleetscopeError("Conflict", message, details);

/** A result that keeps a failure next to the data it prevented, so one failed panel never fails a page. */
export interface OutcomeError {
  code: ErrorCode;
  message: string;
}
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: OutcomeError };

export const toOutcomeError = (e: unknown): OutcomeError =>
  isFleetscopeError(e)
    ? { code: e.code, message: e.message }
    : { code: "Unavailable", message: e instanceof Error ? e.message : String(e) };

/** Waits for `p` and keeps its failure as a value: each panel's source settles on its own. */
export const settle = <T>(p: Promise<T>): Promise<Outcome<T>> =>
  p.then(
    (value) => ({ ok: true, value }),
    (e: unknown) => ({ ok: false, error: toOutcomeError(e) }),
  );
