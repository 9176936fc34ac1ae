/**
 * Transaction Search in the sandbox through the real SDKs (contract C1 of issue 14): the per-region trace segment
 * destination, trace retrieval from aws/spans in both formats, the 1 % indexing X-Ray's own APIs see, the
 * aws/spans log group through FilterLogEvents, GetLogEvents and Logs Insights, and the errors for bad input.
 * Expected values come from the function's own REPORT lines, read over the wire, never from constants here.
 */
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  type ResultField,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  BatchGetTracesCommand,
  GetIndexingRulesCommand,
  GetServiceGraphCommand,
  GetTraceSegmentDestinationCommand,
  GetTraceSummariesCommand,
  ListRetrievedTracesCommand,
  StartTraceRetrievalCommand,
  XRayClient,
  type ListRetrievedTracesCommandOutput,
  type RetrievedTrace,
} from "@aws-sdk/client-xray";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/index";
import { startTestSandbox, TEST_CREDENTIALS, TEST_NOW } from "../support/sandbox";

const TS_REGION = "eu-west-1";
const XRAY_REGION = "us-east-1";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let sb: Sandbox;
const clients: { destroy(): void }[] = [];
const xrayIn = (region: string) => {
  const c = new XRayClient({ endpoint: sb.url, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  clients.push(c);
  return c;
};
const logsIn = (region: string) => {
  const c = new CloudWatchLogsClient({
    endpoint: sb.url,
    region,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
  clients.push(c);
  return c;
};
let xray: XRayClient;
let logs: CloudWatchLogsClient;

interface Report {
  requestId: string;
  traceId: string;
  segmentId: string;
  timestamp: number;
}

const REPORT_XRAY =
  /^REPORT RequestId: (\S+)\t[\s\S]*\nXRAY TraceId: (1-[0-9a-f]{8}-[0-9a-f]{24})\tSegmentId: ([0-9a-f]{16})\tSampled: true/;

/** The busiest traced, text-format function of a region (its REPORT lines carry the XRAY part). */
function tracedFunction(region: string): { name: string; logGroup: string } {
  const fns = [...(sb.account.regions.get(region)?.functions.values() ?? [])].filter(
    (f) => f.tracing === "Active" && f.logFormat === "Text",
  );
  fns.sort((a, b) => b.traffic.peakPerMinute - a.traffic.peakPerMinute);
  const fn = fns[0];
  if (!fn) throw new Error(`no traced function in ${region}`);
  return { name: fn.name, logGroup: fn.logGroup };
}

/** Sampled requests of a log group in [from, to), from their REPORT lines, read through FilterLogEvents. */
async function sampledReports(
  client: CloudWatchLogsClient,
  logGroupName: string,
  from: number,
  to: number,
): Promise<Report[]> {
  const out: Report[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new FilterLogEventsCommand({
        logGroupName,
        startTime: from,
        endTime: to - 1,
        filterPattern: "REPORT",
        nextToken,
      }),
    );
    for (const e of page.events ?? []) {
      const m = REPORT_XRAY.exec(e.message ?? "");
      if (m) out.push({ requestId: m[1]!, traceId: m[2]!, segmentId: m[3]!, timestamp: e.timestamp! });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** Polls a retrieval until it is COMPLETE; returns every page's traces and how many polls said RUNNING. */
async function retrieve(
  client: XRayClient,
  token: string,
  format?: "XRAY" | "OTEL",
): Promise<{ traces: RetrievedTrace[]; running: number; pages: number }> {
  let running = 0;
  let pages = 0;
  const traces: RetrievedTrace[] = [];
  let next: string | undefined;
  for (let i = 0; i < 50; i++) {
    const r: ListRetrievedTracesCommandOutput = await client.send(
      new ListRetrievedTracesCommand({ RetrievalToken: token, TraceFormat: format, NextToken: next }),
    );
    if (r.RetrievalStatus === "RUNNING" || r.RetrievalStatus === "SCHEDULED") {
      expect(r.Traces ?? []).toEqual([]);
      running++;
      continue;
    }
    expect(r.RetrievalStatus).toBe("COMPLETE");
    expect(r.TraceFormat).toBe(format ?? "XRAY");
    expect((r.Traces ?? []).length).toBeLessThanOrEqual(5);
    traces.push(...(r.Traces ?? []));
    pages++;
    next = r.NextToken;
    if (!next) return { traces, running, pages };
  }
  throw new Error("retrieval never completed");
}

async function startRetrieval(client: XRayClient, ids: string[], from: number, to: number) {
  const r = await client.send(
    new StartTraceRetrievalCommand({ TraceIds: ids, StartTime: new Date(from), EndTime: new Date(to) }),
  );
  expect(r.RetrievalToken).toBeTruthy();
  return r.RetrievalToken!;
}

/** Runs an Insights query to completion; rows as field → value. */
async function insights(
  client: CloudWatchLogsClient,
  input: {
    logGroupNames?: string[];
    logGroupIdentifiers?: string[];
    queryString: string;
    from: number;
    to: number;
  },
) {
  const { queryId } = await client.send(
    new StartQueryCommand({
      logGroupNames: input.logGroupNames,
      logGroupIdentifiers: input.logGroupIdentifiers,
      queryString: input.queryString,
      startTime: Math.floor(input.from / 1000),
      endTime: Math.floor(input.to / 1000),
    }),
  );
  for (let i = 0; i < 600; i++) {
    const r = await client.send(new GetQueryResultsCommand({ queryId }));
    if (r.status === "Complete") {
      const rows = (r.results ?? []).map(
        (row: ResultField[]) => new Map(row.map((f) => [f.field ?? "", f.value ?? ""])),
      );
      return { rows, statistics: r.statistics! };
    }
    if (r.status !== "Running" && r.status !== "Scheduled") throw new Error(`query ${r.status}`);
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error("query never completed");
}

const parse = (doc: string | undefined) => JSON.parse(doc ?? "null") as Record<string, unknown>;
const otelId = (xrayId: string) => xrayId.slice(2).replace("-", "");

let fn: { name: string; logGroup: string };
let reports: Report[];
const WINDOW = { from: TEST_NOW - 10 * MINUTE, to: TEST_NOW };
/** A trace starts when its request arrives, up to Lambda's 15-minute limit before its REPORT line. */
const RETRIEVAL = { from: WINDOW.from - 15 * MINUTE, to: WINDOW.to };

beforeAll(async () => {
  sb = await startTestSandbox({ functionsPerRegion: 20 });
  xray = xrayIn(TS_REGION);
  logs = logsIn(TS_REGION);
  fn = tracedFunction(TS_REGION);
  reports = await sampledReports(logs, fn.logGroup, WINDOW.from, WINDOW.to);
  expect(reports.length).toBeGreaterThan(10);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await sb?.close();
});

describe("trace segment destination", () => {
  it("is CloudWatchLogs in the Transaction Search region and XRay elsewhere", async () => {
    const ts = await xray.send(new GetTraceSegmentDestinationCommand({}));
    expect([ts.Destination, ts.Status]).toEqual(["CloudWatchLogs", "ACTIVE"]);
    const other = await xrayIn(XRAY_REGION).send(new GetTraceSegmentDestinationCommand({}));
    expect([other.Destination, other.Status]).toEqual(["XRay", "ACTIVE"]);
  });

  it("has the Default indexing rule at 1 %", async () => {
    const r = await xray.send(new GetIndexingRulesCommand({}));
    expect(r.IndexingRules).toHaveLength(1);
    const rule = r.IndexingRules![0]!;
    expect(rule.Name).toBe("Default");
    expect(rule.ModifiedAt).toBeInstanceOf(Date);
    expect(rule.Rule?.Probabilistic?.DesiredSamplingPercentage).toBe(1);
  });
});

describe("trace retrieval", () => {
  it("returns a sampled request's trace in both formats, consistent with its REPORT line", async () => {
    const report = reports[0]!;
    const token = await startRetrieval(xray, [report.traceId], RETRIEVAL.from, RETRIEVAL.to);

    const xr = await retrieve(xray, token, "XRAY");
    expect(xr.running).toBe(1); // clients must poll: the first answer is RUNNING
    expect(xr.traces.map((t) => t.Id)).toEqual([report.traceId]);
    const segments = xr.traces[0]!.Spans!.map((s) => ({ id: s.Id, doc: parse(s.Document) }));
    const fnSegment = segments.find((s) => s.doc.origin === "AWS::Lambda::Function");
    expect(fnSegment?.id).toBe(report.segmentId);
    expect(fnSegment?.doc.trace_id).toBe(report.traceId);
    expect(segments.find((s) => s.doc.origin === "AWS::Lambda")?.doc.aws).toMatchObject({
      request_id: report.requestId,
    });

    const ot = await retrieve(xray, token, "OTEL");
    expect(ot.running).toBe(0);
    const trace = ot.traces[0]!;
    expect(trace.Id).toBe(report.traceId);
    expect(trace.Duration).toBeGreaterThan(0);
    const spans = trace.Spans!.map((s) => ({ id: s.Id, doc: parse(s.Document) }));
    const root = spans.filter((s) => s.doc.parentSpanId === undefined);
    expect(root).toHaveLength(1);
    expect(root[0]!.id).toBe(report.segmentId);
    expect(root[0]!.doc).toMatchObject({
      traceId: otelId(report.traceId),
      spanId: report.segmentId,
      kind: "SERVER",
      name: fn.name,
      attributes: { "faas.invocation_id": report.requestId },
      resource: { attributes: { "cloud.region": TS_REGION, "faas.name": fn.name } },
    });
    for (const s of spans) {
      expect(s.doc.traceId).toBe(otelId(report.traceId));
      expect(s.id).toBe(s.doc.spanId);
      if (s !== root[0]) expect(s.doc.parentSpanId).toBe(report.segmentId);
    }
    // The REPORT event is written when the handler ends, inside the root span.
    const rootEndMs = Number(root[0]!.doc.endTimeUnixNano) / 1e6;
    const rootStartMs = Number(root[0]!.doc.startTimeUnixNano) / 1e6;
    expect(report.timestamp).toBeGreaterThanOrEqual(Math.floor(rootStartMs));
    expect(report.timestamp).toBeLessThanOrEqual(Math.ceil(rootEndMs));
  });

  it("finds the same spans in aws/spans, one event per span at its end", async () => {
    const report = reports[1]!;
    const token = await startRetrieval(xray, [report.traceId], RETRIEVAL.from, RETRIEVAL.to);
    const { traces } = await retrieve(xray, token, "OTEL");
    const docs = traces[0]!.Spans!.map((s) => s.Document!);
    const found = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: "aws/spans",
        startTime: WINDOW.from,
        endTime: WINDOW.to,
        filterPattern: `"${report.requestId}"`,
      }),
    );
    const events = found.events ?? [];
    // Only the root span names the request id (faas.invocation_id).
    expect(events.map((e) => e.message)).toEqual(docs.filter((d) => d.includes(report.requestId)));
    const byTrace = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: "aws/spans",
        startTime: report.timestamp - MINUTE,
        endTime: report.timestamp + MINUTE,
        filterPattern: `"${otelId(report.traceId)}"`,
      }),
    );
    expect((byTrace.events ?? []).map((e) => e.message).sort()).toEqual([...docs].sort());
    for (const e of byTrace.events ?? []) {
      const doc = parse(e.message);
      expect(e.timestamp).toBe(Math.round(Number(doc.endTimeUnixNano) / 1e6));
      expect(e.logStreamName).toMatch(new RegExp(`^\\d{4}/\\d{2}/\\d{2}/${fn.name}$`));
    }

    const stream = (byTrace.events ?? [])[0]!.logStreamName!;
    const read = await logs.send(
      new GetLogEventsCommand({
        logGroupName: "aws/spans",
        logStreamName: stream,
        startTime: report.timestamp - 5_000,
        endTime: report.timestamp + 5_000,
        startFromHead: true,
      }),
    );
    const messages = new Set((read.events ?? []).map((e) => e.message));
    for (const d of docs) expect(messages.has(d)).toBe(true);
  });

  it("pages five traces at a time, in request order, leaving out ids it does not hold", async () => {
    const ids = reports.slice(0, 12).map((r) => r.traceId);
    const unknown = `1-${Math.floor((TEST_NOW - 5 * MINUTE) / 1000).toString(16)}-${"0".repeat(24)}`;
    const token = await startRetrieval(
      xray,
      [ids[0]!, unknown, ...ids, "not-a-trace-id"],
      RETRIEVAL.from,
      RETRIEVAL.to,
    );
    const r = await retrieve(xray, token, "XRAY");
    expect(r.pages).toBe(3);
    expect(r.traces.map((t) => t.Id)).toEqual(ids);
  });

  it("only returns traces within [StartTime, EndTime]", async () => {
    const report = reports.at(-1)!;
    const startS = Number.parseInt(report.traceId.slice(2, 10), 16);
    const before = await startRetrieval(xray, [report.traceId], RETRIEVAL.from, (startS - 1) * 1000);
    expect((await retrieve(xray, before)).traces).toEqual([]);
    const exact = await startRetrieval(xray, [report.traceId], startS * 1000, startS * 1000);
    expect((await retrieve(xray, exact)).traces.map((t) => t.Id)).toEqual([report.traceId]);
  });

  it("completes empty in a region whose destination is X-Ray", async () => {
    const east = xrayIn(XRAY_REGION);
    const eastFn = tracedFunction(XRAY_REGION);
    const eastReports = await sampledReports(
      logsIn(XRAY_REGION),
      eastFn.logGroup,
      TEST_NOW - 2 * MINUTE,
      TEST_NOW,
    );
    expect(eastReports.length).toBeGreaterThan(0);
    const id = eastReports[0]!.traceId;
    const batch = await east.send(new BatchGetTracesCommand({ TraceIds: [id] }));
    expect(batch.Traces?.map((t) => t.Id)).toEqual([id]);
    const token = await startRetrieval(east, [id], TEST_NOW - 20 * MINUTE, TEST_NOW);
    const r = await retrieve(east, token, "OTEL");
    expect(r.traces).toEqual([]);
  });
});

describe("indexing in the Transaction Search region", () => {
  it("shows X-Ray only the indexed ~1 % of sampled traces; BatchGetTraces has those and no others", async () => {
    const from = TEST_NOW - HOUR;
    const hour = await sampledReports(logs, fn.logGroup, from, TEST_NOW);
    const sampled = new Set(hour.map((r) => r.traceId));
    expect(sampled.size).toBeGreaterThan(300);

    const indexed: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await xray.send(
        new GetTraceSummariesCommand({
          StartTime: new Date(from),
          EndTime: new Date(TEST_NOW),
          FilterExpression: `service("${fn.name}")`,
          NextToken,
        }),
      );
      for (const s of page.TraceSummaries ?? []) indexed.push(s.Id!);
      NextToken = page.NextToken;
    } while (NextToken);
    for (const id of indexed) expect(sampled.has(id)).toBe(true);
    expect(indexed.length).toBeGreaterThan(0);
    expect(indexed.length).toBeLessThan(sampled.size * 0.04);

    const batchOf = async (ids: string[]) => xray.send(new BatchGetTracesCommand({ TraceIds: ids }));
    const present = await batchOf(indexed.slice(0, 5));
    expect(present.Traces?.map((t) => t.Id).sort()).toEqual(indexed.slice(0, 5).sort());
    // XRAY-format retrieval returns exactly the segment documents BatchGetTraces returns.
    const viaRetrieval = await retrieve(
      xray,
      await startRetrieval(xray, [indexed[0]!], from - 15 * MINUTE, TEST_NOW),
    );
    const viaBatch = present.Traces!.find((t) => t.Id === indexed[0]);
    expect(viaRetrieval.traces[0]!.Spans).toEqual(viaBatch!.Segments);
    expect(viaRetrieval.traces[0]!.Duration).toBe(viaBatch!.Duration);
    const unindexed = [...sampled].filter((id) => !indexed.includes(id)).slice(0, 5);
    const r = await batchOf(unindexed);
    expect(r.Traces ?? []).toEqual([]);
    expect([...(r.UnprocessedTraceIds ?? [])].sort()).toEqual([...unindexed].sort());

    // The service graph is built from the same indexed traces.
    const graph = await xray.send(
      new GetServiceGraphCommand({ StartTime: new Date(from), EndTime: new Date(TEST_NOW) }),
    );
    const node = graph.Services?.find((n) => n.Name === fn.name && n.Type === "AWS::Lambda::Function");
    expect(node?.SummaryStatistics?.TotalCount).toBe(indexed.length);

    // Every one of them is still in aws/spans.
    const token = await startRetrieval(xray, unindexed, from - 15 * MINUTE, TEST_NOW);
    expect((await retrieve(xray, token)).traces.map((t) => t.Id)).toEqual(unindexed);
  });
});

describe("aws/spans log group", () => {
  it("is listed in the Transaction Search region only", async () => {
    const ts = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "aws/spans" }));
    expect(ts.logGroups?.map((g) => [g.logGroupName, g.logGroupClass])).toEqual([["aws/spans", "STANDARD"]]);
    expect(ts.logGroups![0]!.logGroupArn).toMatch(/^arn:aws:logs:eu-west-1:\d{12}:log-group:aws\/spans$/);
    const east = await logsIn(XRAY_REGION).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "aws/" }));
    expect(east.logGroups ?? []).toEqual([]);
  });

  it("answers Logs Insights with the span fields discovered from JSON", async () => {
    const report = reports[2]!;
    const { rows } = await insights(logs, {
      logGroupNames: ["aws/spans"],
      queryString: `fields traceId, name, kind, attributes.faas.invocation_id | filter attributes.faas.invocation_id = "${report.requestId}"`,
      ...WINDOW,
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.get("traceId")).toBe(otelId(report.traceId));
    expect(rows[0]!.get("name")).toBe(fn.name);
    expect(rows[0]!.get("kind")).toBe("SERVER");
    expect(rows[0]!.get("attributes.faas.invocation_id")).toBe(report.requestId);
  });

  it("filters on status.code and counts exactly, by group name or ARN", async () => {
    const window = { from: TEST_NOW - 5 * MINUTE, to: TEST_NOW };
    const errors = await insights(logs, {
      logGroupNames: ["aws/spans"],
      queryString: 'filter status.code = "ERROR" | fields name, kind, status.message | limit 10000',
      ...window,
    });
    expect(errors.rows.length).toBeGreaterThan(0);
    for (const r of errors.rows) expect(r.get("status.message")).toBeTruthy();
    const total = await insights(logs, {
      logGroupIdentifiers: [`arn:aws:logs:${TS_REGION}:${sb.account.accountId}:log-group:aws/spans`],
      queryString: "stats count(*) as spans, count_distinct(traceId) as traces",
      ...window,
    });
    const spans = Number(total.rows[0]!.get("spans"));
    expect(Number(total.statistics.recordsScanned)).toBe(spans);
    expect(Number(total.statistics.recordsMatched)).toBe(spans);
    expect(errors.statistics.recordsScanned).toBe(spans);
    expect(Number(total.statistics.bytesScanned)).toBeGreaterThan(spans * 300);
    expect(Number(total.rows[0]!.get("traces"))).toBeLessThan(spans);
  });
});

describe("errors", () => {
  const bad = async (p: Promise<unknown>) => {
    const e = (await p.then(
      () => null,
      (err: unknown) => err,
    )) as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
    expect(e).not.toBeNull();
    return { name: e?.name, status: e?.$metadata?.httpStatusCode };
  };
  const id = () => reports[0]!.traceId;

  it("rejects more than 100 trace ids and an inverted range", async () => {
    const many = Array.from({ length: 101 }, () => id());
    expect(
      await bad(
        xray.send(
          new StartTraceRetrievalCommand({
            TraceIds: many,
            StartTime: new Date(WINDOW.from),
            EndTime: new Date(WINDOW.to),
          }),
        ),
      ),
    ).toEqual({ name: "InvalidRequestException", status: 400 });
    expect(
      await bad(
        xray.send(
          new StartTraceRetrievalCommand({
            TraceIds: [id()],
            StartTime: new Date(WINDOW.to),
            EndTime: new Date(WINDOW.from),
          }),
        ),
      ),
    ).toEqual({ name: "InvalidRequestException", status: 400 });
  });

  it("answers InvalidRequestException for a garbled token and ResourceNotFoundException for an unknown one", async () => {
    expect(await bad(xray.send(new ListRetrievedTracesCommand({ RetrievalToken: "garbled!" })))).toEqual({
      name: "InvalidRequestException",
      status: 400,
    });
    expect(await bad(xray.send(new ListRetrievedTracesCommand({ RetrievalToken: "ab".repeat(20) })))).toEqual(
      {
        name: "ResourceNotFoundException",
        status: 404,
      },
    );
    const token = await startRetrieval(xray, [id()], WINDOW.from, WINDOW.to);
    expect(
      await bad(xrayIn(XRAY_REGION).send(new ListRetrievedTracesCommand({ RetrievalToken: token }))),
    ).toEqual({ name: "ResourceNotFoundException", status: 404 });
    expect(
      await bad(xray.send(new ListRetrievedTracesCommand({ RetrievalToken: token, NextToken: "nope" }))),
    ).toEqual({ name: "InvalidRequestException", status: 400 });
  });
});
