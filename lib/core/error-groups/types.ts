/**
 * Error groups (contract C3): what the collector stores per function version, minute and error fingerprint,
 * and the typed event one log line classifies into (classify.ts) on its way there (group.ts).
 *
 * Design (lib/collector/errors.ts runs it): grouping happens in the collector, incrementally, per closed minute,
 * from ONE constant Logs Insights query per ≤ 50 log groups that selects only error-bearing lines — never by
 * pulling raw logs into pages. Invariants of a row:
 * - `count` is distinct requests. A failing request is counted once, in exactly one failure group (timeout >
 *   oom > unhandled), so the failure kinds of a function-minute add up to what the Errors metric counts;
 *   `logged` groups hold ERROR lines of requests that did not fail (the Errors metric does not count them).
 * - `pattern` is the normalized first line of the message (normalize.ts); `sample` one raw message, ≤ 1,000
 *   chars, control characters replaced. Both come from untrusted log text: render them as text, never as markup.
 * - `fingerprint` is a stable hash of kind, errorType, pattern and frame: the same site with other ids inside
 *   is the same group in every minute, version and function.
 */

export type ErrorKind = "unhandled" | "timeout" | "oom" | "logged"; // logged = an ERROR line that did not fail the request

export interface ErrorExample {
  requestId: string;
  atMs: number;
  traceId: string | null;
}

/** One group, one function version, one minute (what the collector stores). */
export interface ErrorGroupRow {
  /** The AWS account (12 digits). */
  account: string;
  region: string;
  fn: string;
  version: string | null;
  /** Minute start, epoch ms. */
  t: number;
  fingerprint: string;
  kind: ErrorKind;
  errorType: string;
  /** Normalized message. */
  pattern: string;
  /** One raw message, ≤ 1,000 chars. */
  sample: string;
  /** Top in-app stack frame, without line:column. */
  frame: string | null;
  /** Distinct requests. */
  count: number;
  firstMs: number;
  lastMs: number;
  /** ≤ 3. */
  examples: ErrorExample[];
}

/**
 * How much a line says about its failure: a platform status (REPORT `Status: timeout`, platform.report) only
 * says that the request failed; the runtime's own line (`Task timed out after …`, an Invoke Error with its
 * stack) says how. A request's group is taken from its most detailed line of its failure kind.
 */
export type EvidenceDetail = "status" | "line";

/** One error-bearing log line, classified. */
export interface ErrorEvent {
  kind: ErrorKind;
  detail: EvidenceDetail;
  atMs: number;
  /** From @requestId, else from the line itself; null when neither names one (a Python traceback line). */
  requestId: string | null;
  /** From the log stream name `YYYY/MM/DD/[version]…`; null when it does not say. */
  version: string | null;
  traceId: string | null;
  errorType: string;
  /** The message's first line, raw (untrusted), ≤ 1,000 chars. */
  message: string;
  frame: string | null;
}

/** A result row of the error query (lib/core/query/error-lines.ts), as Insights returns it. */
export interface ErrorLine {
  atMs: number;
  requestId: string | null;
  logStream: string | null;
  logGroup: string;
  message: string;
}
