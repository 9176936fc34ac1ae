/**
 * One request's log lines in two bounded FilterLogEvents steps: the events that mention its id (a quoted-phrase
 * pattern over a bounded window) locate its stream, START and REPORT; then its own stream between START (or the
 * INIT_START before it) and REPORT gives every line, including those that do not carry the id.
 */
import "server-only";
import type { LogEventsPort } from "@/lib/aws/logs-events";
import { requestIdPattern } from "@/lib/core/query/filter-pattern";
import { assembleInvocations } from "@/lib/core/telemetry/invocation";
import type { Invocation, LogEvent } from "@/lib/core/telemetry/types";
import { selectRequestLogs, type RequestLogs } from "@/lib/core/traces/request-logs";
import { epochMs, type EpochMs } from "@/lib/core/units";

/** FilterLogEvents pages read per step: a request's lines fit in one; the rest bounds a scan of a busy group. */
export const MAX_PAGES = 5;
/** Lambda's on-demand init is capped at 10 s: INIT_START precedes START by at most that (plus slack). */
const INIT_LOOKBACK_MS = 11_000;

export interface RequestLogResult extends RequestLogs {
  logGroup: string;
  stream: string | null;
  invocation: Invocation | null;
}

/** Events mentioning the request id in [from, to], stopping at the first page that has any. */
export async function eventsMentioning(
  logs: LogEventsPort,
  logGroup: string,
  requestId: string,
  from: EpochMs,
  to: EpochMs,
): Promise<LogEvent[]> {
  const pattern = requestIdPattern(requestId);
  const found: LogEvent[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await logs.filterLogEvents({ logGroup, from, to, pattern, nextToken: token });
    found.push(...r.events);
    // A REPORT is the request's last line: once seen, the rest of the window holds nothing of it.
    if (found.some((e) => e.message.includes("REPORT") || e.message.includes("platform.report"))) break;
    if (r.nextToken === null) break;
    token = r.nextToken;
  }
  return found;
}

export async function loadRequestLogs(
  logs: LogEventsPort,
  logGroup: string,
  requestId: string,
  mentioning: readonly LogEvent[],
): Promise<RequestLogResult> {
  const located = selectRequestLogs(mentioning, requestId);
  const withStream = mentioning.find((e) => e.logStream !== undefined && e.message.includes(requestId));
  const stream = withStream?.logStream ?? null;
  let events: LogEvent[] = [...mentioning];
  if (stream !== null && located.lines.length > 0) {
    const first = located.lines[0]!.time;
    const last = located.lines.at(-1)!.time;
    events = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await logs.filterLogEvents({
        logGroup,
        from: epochMs(first - INIT_LOOKBACK_MS),
        to: last,
        streams: [stream],
        nextToken: token,
      });
      events.push(...r.events);
      if (r.nextToken === null) break;
      token = r.nextToken;
    }
  }
  const selected = selectRequestLogs(events, requestId);
  const invocation = assembleInvocations(events).invocations.find((i) => i.requestId === requestId) ?? null;
  return { ...selected, logGroup, stream, invocation };
}
