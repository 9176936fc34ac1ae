/**
 * Handled errors: the line Powertools for AWS Lambda's logger writes when a function's code catches an error and
 * carries on (VersionBehaviour.loggedErrorRate), in the flavour of the function's runtime:
 * - Node.js runtimes: Powertools for AWS Lambda (TypeScript)'s `logger.error(message, error)`: the error under
 *   `error` ({ name, location, message, stack }), `timestamp` in ISO 8601 (`2021-12-12T21:21:08.921Z`).
 * - Every other runtime: Powertools for AWS Lambda (Python)'s `logger.exception`: `exception` (the traceback) and
 *   `exception_name`, `timestamp` as Python's logging writes it (`2021-05-03 11:47:12,494+0000`, UTC). The sites'
 *   tracebacks are Python's, so Python is the flavour a runtime without a Powertools of its own gets.
 *
 * Invariants:
 * - Only successful invocations log one, at most one each: the invocation's outcome never changes, so the Errors
 *   metric (failed invocations) does not count these lines.
 * - Whether and what an invocation logs is drawn from a stream seeded by its request id: stable, and independent
 *   of every other line and of the simulator's streams.
 * - A site gives one message shape with ids that vary; no UUID-shaped text (FilterLogEvents by request id,
 *   logs/events.ts, expects UUIDs only as request ids or inside an invocation's errorMessage) and no top-level
 *   `type` key (only platform records have one: logs/insights/lines.ts).
 */
import type { FunctionVersion, SimFunction } from "../fleet/model";
import { Rng, hashString } from "../sim/random";
import type { Invocation } from "../sim/types";

const iso = (ms: number): string => new Date(ms).toISOString();

/** Powertools (Python)'s `timestamp`: logging's `%Y-%m-%d %H:%M:%S,%f` to the ms, then `%z` (`+0000`, UTC). */
export function powertoolsPythonTime(ms: number): string {
  const s = iso(ms); // 2021-05-03T11:47:12.494Z
  return `${s.slice(0, 10)} ${s.slice(11, 19)},${s.slice(20, 23)}+0000`;
}

/** A handled error the code logged (Powertools) and carried on from: one site per message shape. */
interface LoggedErrorSite {
  location: string;
  exceptionName: string;
  message(ids: Rng): string;
  /** The traceback Powertools (Python) puts in `exception`. */
  exception: string;
  /** The same failure in a Node.js function: what Powertools (TypeScript) puts in `error`. */
  node: { name: string; location: string; message: string; stack: string };
}

const LOGGED_ERROR_SITES: LoggedErrorSite[] = [
  {
    location: "handler:42",
    exceptionName: "ProvisionedThroughputExceededException",
    message: (r) =>
      `Archiving audit event evt_${ulid(r)} throttled, will retry (attempt ${1 + (r.u32() % 3)} of 3)`,
    exception:
      "Traceback (most recent call last):\n" +
      '  File "/var/task/app.py", line 42, in handler\n    archive.put(record)\n' +
      '  File "/var/task/audit/archive.py", line 27, in put\n    self.stream.put_record(**request)\n' +
      "botocore.errorfactory.ProvisionedThroughputExceededException: An error occurred " +
      "(ProvisionedThroughputExceededException) when calling the PutRecord operation: Rate exceeded for shard " +
      "shardId-000000000001 in stream audit-archive.",
    node: {
      name: "ProvisionedThroughputExceededException",
      // Powertools (TypeScript) takes `location` from the stack's first frame with a file position.
      location: "/var/runtime/node_modules/@aws-sdk/client-kinesis/dist-cjs/index.js:1024",
      message: "Rate exceeded for shard shardId-000000000001 in stream audit-archive.",
      stack:
        "ProvisionedThroughputExceededException: Rate exceeded for shard shardId-000000000001 in stream " +
        "audit-archive.\n" +
        "    at de_ProvisionedThroughputExceededExceptionRes " +
        "(/var/runtime/node_modules/@aws-sdk/client-kinesis/dist-cjs/index.js:1024:21)\n" +
        "    at async Archive.put (file:///var/task/audit/archive.mjs:27:5)\n" +
        "    at async Runtime.handler (file:///var/task/index.mjs:42:7)",
    },
  },
  {
    location: "parse_record:87",
    exceptionName: "JSONDecodeError",
    message: (r) =>
      `Skipping malformed record at sequence number 4963${Array.from({ length: 16 }, () => r.u32() % 10).join("")}`,
    exception:
      "Traceback (most recent call last):\n" +
      '  File "/var/task/audit/records.py", line 87, in parse_record\n    return json.loads(payload)\n' +
      "json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)",
    node: {
      name: "SyntaxError",
      location: "file:///var/task/audit/records.mjs:87",
      message: "Unexpected end of JSON input",
      stack:
        "SyntaxError: Unexpected end of JSON input\n" +
        "    at JSON.parse (<anonymous>)\n" +
        "    at parseRecord (file:///var/task/audit/records.mjs:87:15)\n" +
        "    at Runtime.handler (file:///var/task/index.mjs:51:22)",
    },
  },
];

/** A ULID-shaped id (26 Crockford base32 characters), not a UUID (see the header). */
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const ulid = (r: Rng): string => Array.from({ length: 26 }, () => CROCKFORD[r.u32() % 32]).join("");

/**
 * Whether (and what) this invocation's code logged as a handled error: only successful invocations of versions
 * with a loggedErrorRate. Drawn from a stream of the invocation's own (seeded by its request id), so the choice is
 * stable and independent of every other line.
 */
export function loggedError(
  inv: Invocation,
  v: FunctionVersion,
): { site: LoggedErrorSite; message: string } | null {
  const rate = v.behaviour.loggedErrorRate ?? 0;
  if (rate <= 0 || inv.outcome !== "success") return null;
  const r = new Rng(hashString(inv.requestId) ^ 0x5eed_0e77);
  if (r.next() >= rate) return null;
  const site = LOGGED_ERROR_SITES[r.u32() % LOGGED_ERROR_SITES.length]!;
  return { site, message: site.message(r) };
}

/** The Powertools line of a handled error, at `at`, in its runtime's flavour (see the header). */
export function loggedErrorLine(
  fn: SimFunction,
  inv: Invocation,
  v: FunctionVersion,
  at: number,
): string | null {
  const e = loggedError(inv, v);
  if (e === null) return null;
  if ((v.runtime ?? "").startsWith("nodejs")) {
    return JSON.stringify({
      level: "ERROR",
      message: e.message,
      timestamp: iso(at),
      service: fn.name,
      function_request_id: inv.requestId,
      xray_trace_id: inv.traceId,
      error: e.site.node,
    });
  }
  return JSON.stringify({
    level: "ERROR",
    location: e.site.location,
    message: e.message,
    timestamp: powertoolsPythonTime(at),
    service: fn.name,
    xray_trace_id: inv.traceId,
    function_request_id: inv.requestId,
    exception: e.site.exception,
    exception_name: e.site.exceptionName,
  });
}

/** When a handled error is logged: part-way through the handler, a whole ms inside [from, to]. */
export const loggedErrorAt = (from: number, to: number): number => Math.round(from + (to - from) * 0.6);
