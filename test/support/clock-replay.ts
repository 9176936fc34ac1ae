/**
 * Clock replay: run the browser tests' picks and the preconditions their assertions rely on against a sandbox
 * pinned at one clock position. The browser tests run on the real clock, so whatever they pick must be there, with
 * the property they assert, at any time of day; this is where that is checked, at as many positions as wanted.
 *
 * `legacy` replays the picks the browser tests used before they picked by identity, to show what they got wrong.
 */
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { BatchGetTracesCommand } from "@aws-sdk/client-xray";
import { MAX_WAIT_FACTOR } from "@/lib/data/traffic/plans";
import { startTestSandbox } from "@fleetscope/sandbox/testing/sandbox";
import {
  pickCanaryException,
  pickClients,
  pickColdStart,
  pickPlantedMalformedTrace,
  settledWindow,
  traceIds,
  type PickClients,
} from "./planted-picks";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Each check names the browser test it stands for; `null` is a pass, a string says what was wrong. */
export type ReplayResult = Record<string, string | null>;

async function metricSeries(
  cw: CloudWatchClient,
  fn: string,
  metric: string,
  w: { start: number; end: number },
): Promise<number[]> {
  const r = await cw.send(
    new GetMetricDataCommand({
      StartTime: new Date(w.start),
      EndTime: new Date(w.end),
      MetricDataQueries: [
        {
          Id: "m",
          MetricStat: {
            Metric: {
              Namespace: "AWS/Lambda",
              MetricName: metric,
              Dimensions: [{ Name: "FunctionName", Value: fn }],
            },
            Period: 60,
            Stat: "Sum",
          },
        },
      ],
    }),
  );
  return r.MetricDataResults?.[0]?.Values ?? [];
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The pick trace.test.ts made before: the first partial payments-api trace of HH:00 of the previous hour. */
async function legacyMalformed(aws: PickClients, now: number): Promise<string | null> {
  const hour = Math.floor(now / HOUR) * HOUR - HOUR;
  const [id] = await traceIds(aws.xray, 'service("payments-api") AND partial', hour, hour + MINUTE);
  if (!id) return "no partial trace in that minute";
  const r = await aws.xray.send(new BatchGetTracesCommand({ TraceIds: [id] }));
  const broken = (r.Traces?.[0]?.Segments ?? []).some((s) => {
    try {
      JSON.parse(s.Document ?? "");
      return false;
    } catch {
      return true;
    }
  });
  return broken ? null : `first partial trace ${id} is valid JSON (another kind of malformed trace)`;
}

async function checks(aws: PickClients, cw: CloudWatchClient, now: number): Promise<ReplayResult> {
  const out: ReplayResult = {};

  const malformed = await pickPlantedMalformedTrace(aws.xray, now);
  out["trace: planted malformed trace"] = malformed ? null : "no payments-api trace with a cut-off document";

  const cold = await pickColdStart(aws, now);
  out["trace: cold start with its logs"] = !cold
    ? "no traced notify-sms cold start with its REPORT line"
    : !cold.lines[0]?.startsWith("INIT_START")
      ? `its lines start with ${JSON.stringify(cold.lines[0]?.slice(0, 20))}, not INIT_START`
      : !cold.lines.at(-1)?.startsWith("REPORT")
        ? "its lines do not end with its REPORT line"
        : null;

  const canary = await pickCanaryException(aws.xray, now);
  out["trace: failed canary exception"] = canary ? null : "no payments-api v8 fault with an exception";

  const hour = settledWindow(now, 60);
  const payErrors = sum(await metricSeries(cw, "payments-api", "Errors", hour));
  out["fleet: payments-api errors in 60 min"] = payErrors > 0 ? null : "no errors";
  const throttles = sum(await metricSeries(cw, "webhook-ingest", "Throttles", hour));
  out["fleet: webhook-ingest throttles in 60 min"] = throttles > 0 ? null : "no throttles";
  const rowWindow = settledWindow(now, 30);
  const rowInvocations = sum(await metricSeries(cw, "webhook-ingest", "Invocations", rowWindow));
  out["fleet: webhook-ingest invoked in 30 min"] = rowInvocations > 0 ? null : "no invocations";

  const three = settledWindow(now, 180);
  const inits = await aws.logs.send(
    new FilterLogEventsCommand({
      logGroupName: "/aws/lambda/notify-sms",
      startTime: three.start,
      endTime: three.end,
      filterPattern: '"Init Duration"',
      limit: 20,
    }),
  );
  const initMs = (inits.events ?? []).map((e) =>
    Number(/Init Duration: ([\d.]+) ms/.exec(e.message ?? "")?.[1]),
  );
  out["fleet: notify-sms cold starts over 1 s in 180 min"] =
    initMs.length === 0
      ? "no cold start"
      : sum(initMs) / initMs.length > 1000
        ? null
        : `average init ${Math.round(sum(initMs) / initMs.length)} ms`;

  // traffic.test.ts: a 50 % canary step of payments-api (90 s, waiting up to MAX_WAIT_FACTOR times that for
  // evidence) must see ≥ 40 invocations of the new version, and a 40 % step of orders-api (60 s) ≥ 3, or the plan
  // rolls back for want of evidence instead of for the reason the test asserts. The quietest minute of the last
  // hour must supply them.
  const recent = { start: Math.floor(now / MINUTE) * MINUTE - HOUR, end: Math.floor(now / MINUTE) * MINUTE };
  const payPerMin = Math.min(...(await metricSeries(cw, "payments-api", "Invocations", recent)));
  out["traffic: payments-api canary guard has evidence"] =
    payPerMin * 0.5 * 1.5 * MAX_WAIT_FACTOR >= 40 ? null : `quietest minute ${payPerMin} invocations`;
  const ordersPerMin = Math.min(...(await metricSeries(cw, "orders-api", "Invocations", recent)));
  out["traffic: orders-api linear guard has evidence"] =
    ordersPerMin * 0.4 * MAX_WAIT_FACTOR >= 3 ? null : `quietest minute ${ordersPerMin} invocations`;
  return out;
}

/** Runs every check (and the legacy picks, when asked) against a fresh sandbox whose clock stands at `now`. */
export async function replayAt(now: number, opts: { legacy?: boolean } = {}): Promise<ReplayResult> {
  const sb = await startTestSandbox({ now: () => now });
  const aws = pickClients(sb.url);
  const cw = new CloudWatchClient({
    region: "us-east-1",
    endpoint: sb.url,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  try {
    const result = await checks(aws, cw, now);
    if (opts.legacy)
      result["legacy trace: first partial trace is the planted one"] = await legacyMalformed(aws, now);
    return result;
  } finally {
    aws.destroy();
    cw.destroy();
    await sb.close();
  }
}

/**
 * `count` clock positions from `from`, spread over days, hours and minutes: every position falls at a different
 * minute of the hour and second of the minute, including the edges (HH:00:00, HH:59:59) where windows turn over.
 */
export function clockPositions(from: number, count: number): number[] {
  const edges = [0, 59_999, 3_599_999, 60_000 + 1];
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const hour = Math.floor(from / HOUR) * HOUR + ((i * 7) % 24) * HOUR + Math.floor(i / 24) * 24 * HOUR;
    const within = i < edges.length ? edges[i]! : ((i * 7_919_000) % HOUR) + ((i * 337) % 1000);
    out.push(hour + within);
  }
  return out;
}
