/**
 * How tests find the sandbox's planted items: by what they are, never by where the clock stands.
 *
 * Each pick asks the sandbox through the SDK (the same wire protocol the console uses) for candidates in a window
 * that always holds the planted item, then keeps the candidate that has the planted property, read from the item
 * itself (a document that is not JSON, a log stream that starts with INIT_START…). The browser tests use these
 * with the real clock; `test/integration/clock-replay.test.ts` runs the same picks against sandboxes pinned at
 * many clock positions, so a pick that only works at some hours fails there first.
 */
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  type FilteredLogEvent,
} from "@aws-sdk/client-cloudwatch-logs";
import { BatchGetTracesCommand, GetTraceSummariesCommand, XRayClient } from "@aws-sdk/client-xray";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface PickClients {
  xray: XRayClient;
  logs: CloudWatchLogsClient;
}

export function pickClients(endpoint: string, region = "us-east-1"): PickClients & { destroy(): void } {
  const config = { region, endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } };
  const xray = new XRayClient(config);
  const logs = new CloudWatchLogsClient(config);
  return {
    xray,
    logs,
    destroy() {
      xray.destroy();
      logs.destroy();
    },
  };
}

/** Every trace id GetTraceSummaries returns for a filter over [from, to), following NextToken. */
export async function traceIds(
  xray: XRayClient,
  filter: string,
  from: number,
  to: number,
): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < 50; page++) {
    const r = await xray.send(
      new GetTraceSummariesCommand({
        StartTime: new Date(from),
        EndTime: new Date(to),
        FilterExpression: filter,
        NextToken: token,
      }),
    );
    for (const s of r.TraceSummaries ?? []) if (s.Id) ids.push(s.Id);
    token = r.NextToken;
    if (!token) break;
  }
  return ids;
}

interface SegmentDoc {
  id: string;
  document: string;
}

async function segments(xray: XRayClient, ids: string[]): Promise<Map<string, SegmentDoc[]>> {
  const out = new Map<string, SegmentDoc[]>();
  for (let i = 0; i < ids.length; i += 5) {
    const r = await xray.send(new BatchGetTracesCommand({ TraceIds: ids.slice(i, i + 5) }));
    for (const t of r.Traces ?? [])
      if (t.Id)
        out.set(
          t.Id,
          (t.Segments ?? []).map((s) => ({ id: s.Id ?? "", document: s.Document ?? "" })),
        );
  }
  return out;
}

const parses = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/**
 * The planted malformed trace (sandbox/src/xray/README.md): a payments-api trace in the first minute of the
 * previous UTC hour whose function document is not JSON while its service segment is. Other malformed traces
 * may share that minute (1 in 500 are broken at random, some with a missing end_time): the pick reads each
 * candidate's documents and keeps the one that is cut off.
 */
export async function pickPlantedMalformedTrace(xray: XRayClient, now: number): Promise<string | undefined> {
  const hour = Math.floor(now / HOUR) * HOUR - HOUR;
  const ids = await traceIds(xray, 'service("payments-api") AND partial', hour, hour + MINUTE);
  for (const [id, docs] of await segments(xray, ids)) {
    const parsed = docs.map((d) => parses(d.document));
    const service = parsed.find(
      (d): d is { name: string; origin?: string } =>
        typeof d === "object" && d !== null && (d as { origin?: string }).origin === "AWS::Lambda",
    );
    if (service?.name === "payments-api" && parsed.some((d) => d === undefined)) return id;
  }
  return undefined;
}

export interface PickedColdStart {
  traceId: string;
  requestId: string;
  initDuration: string;
  report: FilteredLogEvent;
  /** The request's own lines in its log stream, oldest first, as the request page shows them. */
  lines: string[];
}

/**
 * A traced notify-sms cold start (planted: cold-start heavy, about 2 s of init) in the six hours before `now`,
 * with its REPORT line and the lines its log stream holds for it, INIT_START first.
 */
export async function pickColdStart(
  { xray, logs }: PickClients,
  now: number,
  fn = "notify-sms",
): Promise<PickedColdStart | undefined> {
  const ids = await traceIds(xray, `service("${fn}") AND annotation.coldStart = true`, now - 6 * HOUR, now);
  for (const traceId of ids.slice(0, 3)) {
    // The REPORT line carries the trace id: that is how the sandbox ties logs to traces.
    const found = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: `/aws/lambda/${fn}`,
        startTime: now - 6 * HOUR,
        endTime: now,
        filterPattern: `"${traceId}"`,
      }),
    );
    const report = (found.events ?? []).find((e) => e.message?.startsWith("REPORT"));
    const requestId = /RequestId: (\S+)/.exec(report?.message ?? "")?.[1];
    const initDuration = /Init Duration: ([\d.]+) ms/.exec(report?.message ?? "")?.[1];
    if (!report?.logStreamName || !requestId || !initDuration || report.timestamp === undefined) continue;
    const stream = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: `/aws/lambda/${fn}`,
        logStreamNames: [report.logStreamName],
        startTime: report.timestamp - 15 * MINUTE,
        endTime: report.timestamp + 1,
      }),
    );
    const events = stream.events ?? [];
    const start = events.findIndex((e) => e.message?.startsWith(`START RequestId: ${requestId}`));
    const end = events.findIndex((e) => e.message === report.message);
    const init = start > 0 && events[start - 1]?.message?.startsWith("INIT_START") ? start - 1 : start;
    if (start < 0 || end < start) continue;
    return {
      traceId,
      requestId,
      initDuration,
      report,
      lines: events.slice(init, end + 1).map((e) => (e.message ?? "").replace(/\s+$/, "")),
    };
  }
  return undefined;
}

export interface PickedException {
  traceId: string;
  type: string;
  message: string;
}

/** A failed payments-api v8 (the failing canary) request of the last hour whose function segment names its exception. */
export async function pickCanaryException(
  xray: XRayClient,
  now: number,
): Promise<PickedException | undefined> {
  const ids = await traceIds(
    xray,
    'service("payments-api") AND fault AND annotation.version = "8"',
    now - HOUR,
    now,
  );
  for (let i = 0; i < Math.min(ids.length, 25); i += 5) {
    for (const [traceId, docs] of await segments(xray, ids.slice(i, i + 5))) {
      for (const d of docs) {
        const doc = parses(d.document) as { cause?: { exceptions?: { type: string; message: string }[] } };
        const e = doc?.cause?.exceptions?.[0];
        if (e) return { traceId, type: e.type, message: e.message };
      }
    }
  }
  return undefined;
}

/** A settled custom window ending `endAgoMin` minutes before `now`, minute-aligned so the URL is stable. */
export function settledWindow(now: number, minutes: number, endAgoMin = 3): { start: number; end: number } {
  const end = Math.floor(now / MINUTE) * MINUTE - endAgoMin * MINUTE;
  return { start: end - minutes * MINUTE, end };
}
