/**
 * The sandbox's X-Ray service over HTTP, through the real SDK and the aws CLI, checked against the simulator's
 * ground truth (the same Invocations the REPORT lines are written from).
 */
import {
  BatchGetTracesCommand,
  GetServiceGraphCommand,
  GetTraceSummariesCommand,
  XRayClient,
  type TraceSummary,
} from "@aws-sdk/client-xray";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/index";
import type { Invocation } from "../../src/sim/types";
import { awsCli, awsCliJson } from "../support/awscli";
import { startTestSandbox, TEST_CREDENTIALS, TEST_NOW } from "../support/sandbox";

const REGION = "us-east-1";
const WINDOW_START = TEST_NOW - 10 * 60_000;
let sandbox: Sandbox;
let xray: XRayClient;

function sampledInvocations(fnName: string, fromMs = WINDOW_START, toMs = TEST_NOW): Invocation[] {
  const fn = sandbox.account.regions.get(REGION)?.functions.get(fnName);
  if (!fn) throw new Error(`no function ${fnName}`);
  return sandbox.ctx.sim
    .minutes(fn, fromMs, toMs)
    .flatMap((m) => m.invocations)
    .filter((i) => i.sampled && i.startMs >= fromMs && i.startMs <= toMs);
}

async function allSummaries(input: { FilterExpression?: string; from?: number; to?: number }) {
  const pages: TraceSummary[][] = [];
  let NextToken: string | undefined;
  do {
    const page = await xray.send(
      new GetTraceSummariesCommand({
        StartTime: new Date(input.from ?? WINDOW_START),
        EndTime: new Date(input.to ?? TEST_NOW),
        FilterExpression: input.FilterExpression,
        NextToken,
      }),
    );
    pages.push(page.TraceSummaries ?? []);
    NextToken = page.NextToken;
  } while (NextToken);
  return pages;
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ functionsPerRegion: 20, regions: [REGION] });
  xray = new XRayClient({
    endpoint: sandbox.url,
    region: REGION,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  xray?.destroy();
  await sandbox?.close();
});

describe("GetTraceSummaries", () => {
  it("filters by service and fault, matching the simulator's failed sampled invocations exactly", async () => {
    const pages = await allSummaries({ FilterExpression: 'service("payments-api") { fault }' });
    const got = pages.flat().map((s) => s.Id);
    const expected = sampledInvocations("payments-api").filter((i) => i.outcome !== "success");
    expect(expected.length).toBeGreaterThan(0);
    expect(new Set(got)).toEqual(new Set(expected.map((i) => i.traceId)));
    expect(got.length).toBe(expected.length);
    for (const s of pages.flat()) expect(s.HasFault).toBe(true);
  });

  it("pages newest first through every sampled trace of the window, each once", async () => {
    const from = TEST_NOW - 3 * 60_000;
    const pages = await allSummaries({ from });
    expect(pages.length).toBeGreaterThan(1);
    for (const p of pages) expect(p.length).toBeLessThanOrEqual(100);
    const ids = pages.flat().map((s) => s.Id);
    expect(new Set(ids).size).toBe(ids.length);
    const fns = [...(sandbox.account.regions.get(REGION)?.functions.keys() ?? [])];
    const expected = fns.flatMap((name) => sampledInvocations(name, from)).map((i) => i.traceId);
    expect(new Set(ids)).toEqual(new Set(expected));
    const starts = pages.flat().map((s) => s.StartTime!.getTime());
    const minutes = starts.map((t) => Math.floor(t / 60_000));
    expect([...minutes].sort((a, b) => b - a)).toEqual(minutes);
  });

  it("combines a service filter with a response-time threshold", async () => {
    const summaries = (
      await allSummaries({ FilterExpression: 'service("payments-api") AND responsetime > 0.5' })
    ).flat();
    const all = sampledInvocations("payments-api");
    for (const s of summaries) {
      expect(s.ResponseTime).toBeGreaterThan(0.5);
      expect(s.ServiceIds?.some((id) => id.Name === "payments-api")).toBe(true);
    }
    // Every invocation whose handler alone ran > 0.5 s must be there (response time includes more).
    const slow = all.filter((i) => i.durationMs + (i.initDurationMs ?? 0) > 500).map((i) => i.traceId);
    expect(summaries.map((s) => s.Id)).toEqual(expect.arrayContaining(slow));
  });

  it("rejects a bad filter, a window over 24 hours and a foreign NextToken", async () => {
    await expect(
      xray.send(
        new GetTraceSummariesCommand({
          StartTime: new Date(WINDOW_START),
          EndTime: new Date(TEST_NOW),
          FilterExpression: "bogus > 1",
        }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidRequestException",
      message: expect.stringMatching(/unsupported keyword 'bogus'/),
    });
    await expect(
      xray.send(
        new GetTraceSummariesCommand({
          StartTime: new Date(TEST_NOW - 25 * 3_600_000),
          EndTime: new Date(TEST_NOW),
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidRequestException", $metadata: { httpStatusCode: 400 } });
    await expect(
      xray.send(
        new GetTraceSummariesCommand({
          StartTime: new Date(WINDOW_START),
          EndTime: new Date(TEST_NOW),
          NextToken: "garbage",
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidRequestException" });
  });
});

describe("BatchGetTraces", () => {
  it("returns 5 traces, including one found from a REPORT line's trace id, with the REPORT line's SegmentId", async () => {
    const invocations = sampledInvocations("orders-api").slice(0, 5);
    expect(invocations).toHaveLength(5);
    const out = await xray.send(new BatchGetTracesCommand({ TraceIds: invocations.map((i) => i.traceId) }));
    expect(out.UnprocessedTraceIds).toEqual([]);
    expect(out.Traces?.map((t) => t.Id).sort()).toEqual(invocations.map((i) => i.traceId).sort());
    for (const inv of invocations) {
      const trace = out.Traces?.find((t) => t.Id === inv.traceId);
      const ids = trace?.Segments?.map((s) => s.Id);
      expect(ids).toContain(inv.segmentId);
      const fnSeg = trace?.Segments?.find((s) => s.Id === inv.segmentId);
      let doc: { origin?: string; parent_id?: string } | null = null;
      try {
        doc = JSON.parse(fnSeg?.Document ?? "") as { origin?: string; parent_id?: string };
      } catch {
        continue; // one of the deliberately malformed documents
      }
      expect(doc.origin).toBe("AWS::Lambda::Function");
      expect(ids).toContain(doc.parent_id);
    }
  });

  it("rejects 6 ids and reports unknown ids as unprocessed", async () => {
    const six = sampledInvocations("orders-api")
      .slice(0, 6)
      .map((i) => i.traceId);
    await expect(xray.send(new BatchGetTracesCommand({ TraceIds: six }))).rejects.toMatchObject({
      name: "InvalidRequestException",
    });
    const known = six[0] as string;
    const unknown = `1-${Math.floor(TEST_NOW / 1000 - 30).toString(16)}-0123456789abcdef01234567`;
    const out = await xray.send(new BatchGetTracesCommand({ TraceIds: [known, unknown, "not-a-trace-id"] }));
    expect(out.Traces?.map((t) => t.Id)).toEqual([known]);
    expect(out.UnprocessedTraceIds).toEqual([unknown, "not-a-trace-id"]);
  });

  it("has an Initialization subsegment exactly for the sampled cold starts, lasting their Init Duration", async () => {
    const fns = [...(sandbox.account.regions.get(REGION)?.functions.keys() ?? [])];
    const sampled = fns.flatMap((name) => sampledInvocations(name, TEST_NOW - 60 * 60_000));
    const cold = sampled.filter((i) => i.initDurationMs !== null).slice(0, 60);
    expect(cold.length).toBeGreaterThan(0);
    const invocations = [...cold, ...sampled.filter((i) => i.initDurationMs === null).slice(0, 40)];
    for (let i = 0; i < invocations.length; i += 5) {
      const batch = invocations.slice(i, i + 5);
      const out = await xray.send(new BatchGetTracesCommand({ TraceIds: batch.map((b) => b.traceId) }));
      for (const inv of batch) {
        const seg = out.Traces?.find((t) => t.Id === inv.traceId)?.Segments?.find(
          (s) => s.Id === inv.segmentId,
        );
        let doc: { subsegments?: { name: string; start_time: number; end_time?: number }[] };
        try {
          doc = JSON.parse(seg?.Document ?? "") as typeof doc;
        } catch {
          continue; // malformed on purpose
        }
        const init = doc.subsegments?.find((s) => s.name === "Initialization");
        expect(init !== undefined).toBe(inv.initDurationMs !== null);
        if (init)
          expect(Math.round(((init.end_time ?? 0) - init.start_time) * 1e5) / 1e2).toBe(inv.initDurationMs);
      }
    }
  });

  it("serves the planted malformed trace: payments-api's first sampled trace of the hour", async () => {
    const hour = Math.floor(TEST_NOW / 3_600_000) * 3_600_000 - 3_600_000;
    const summaries = (
      await allSummaries({
        FilterExpression: 'service("payments-api") AND partial',
        from: hour,
        to: hour + 60_000,
      })
    ).flat();
    const first = sampledInvocations("payments-api", hour, hour + 59_999)[0];
    expect(first).toBeDefined();
    expect(summaries.map((s) => s.Id)).toContain(first?.traceId);
    const out = await xray.send(new BatchGetTracesCommand({ TraceIds: [first?.traceId ?? ""] }));
    const segments = out.Traces?.[0]?.Segments ?? [];
    expect(segments).toHaveLength(2);
    const readable = segments.filter((s) => {
      try {
        JSON.parse(s.Document ?? "");
        return true;
      } catch {
        return false;
      }
    });
    expect(readable).toHaveLength(1);
    expect(JSON.parse(readable[0]?.Document ?? "{}")).toMatchObject({
      origin: "AWS::Lambda",
      name: "payments-api",
    });
  });
});

describe("GetServiceGraph", () => {
  it("links client → Lambda → function → downstream with counts matching the sampled invocations", async () => {
    const from = TEST_NOW - 5 * 60_000;
    const out = await xray.send(
      new GetServiceGraphCommand({ StartTime: new Date(from), EndTime: new Date(TEST_NOW) }),
    );
    const services = out.Services ?? [];
    const lambda = services.find((s) => s.Name === "payments-api" && s.Type === "AWS::Lambda");
    const fn = services.find((s) => s.Name === "payments-api" && s.Type === "AWS::Lambda::Function");
    expect(lambda?.Root).toBe(true);
    const edge = lambda?.Edges?.find((e) => e.ReferenceId === fn?.ReferenceId);
    const sampled = sampledInvocations("payments-api", from);
    expect(edge?.SummaryStatistics?.TotalCount).toBe(sampled.length);
    expect(fn?.SummaryStatistics?.FaultStatistics?.TotalCount).toBe(
      sampled.filter((i) => i.outcome !== "success").length,
    );
    const client = services.find((s) => s.Type === "client");
    expect(client?.Edges?.some((e) => e.ReferenceId === lambda?.ReferenceId)).toBe(true);
    const downstreamRefs = new Set(fn?.Edges?.map((e) => e.ReferenceId));
    const downstreamNames = services.filter((s) => downstreamRefs.has(s.ReferenceId)).map((s) => s.Name);
    const NODE = { dynamodb: "DynamoDB", s3: "S3", sqs: "SQS" } as const;
    const expectedNames = new Set(
      sampled.flatMap((i) => i.downstream.map((d) => (d.kind === "http" ? d.resource : NODE[d.kind]))),
    );
    expect(new Set(downstreamNames)).toEqual(expectedNames);
  });
});

describe("aws CLI", () => {
  const start = String(WINDOW_START / 1000);
  const end = String(TEST_NOW / 1000);

  it("get-trace-summaries with a filter expression, and batch-get-traces", async () => {
    const out = await awsCliJson<{ TraceSummaries: { Id: string; HasFault: boolean }[] }>(sandbox.url, [
      "xray",
      "get-trace-summaries",
      "--start-time",
      start,
      "--end-time",
      end,
      "--filter-expression",
      'service("payments-api") AND fault',
    ]);
    expect(out.TraceSummaries.length).toBeGreaterThan(0);
    expect(out.TraceSummaries.every((s) => s.HasFault)).toBe(true);
    const ids = out.TraceSummaries.slice(0, 3).map((s) => s.Id);
    const traces = await awsCliJson<{ Traces: { Id: string; Segments: unknown[] }[] }>(sandbox.url, [
      "xray",
      "batch-get-traces",
      "--trace-ids",
      ...ids,
    ]);
    expect(traces.Traces.map((t) => t.Id).sort()).toEqual([...ids].sort());
  });

  it("reports InvalidRequestException for 6 trace ids and for a bad filter", async () => {
    const six = sampledInvocations("orders-api")
      .slice(0, 6)
      .map((i) => i.traceId);
    const r = await awsCli(sandbox.url, ["xray", "batch-get-traces", "--trace-ids", ...six]);
    expect(r.ok ? null : r.errorCode).toBe("InvalidRequestException");
    const bad = await awsCli(sandbox.url, [
      "xray",
      "get-trace-summaries",
      "--start-time",
      start,
      "--end-time",
      end,
      "--filter-expression",
      'service("payments-api" AND',
    ]);
    expect(bad.ok ? null : bad.errorCode).toBe("InvalidRequestException");
  });

  it("get-service-graph", async () => {
    const out = await awsCliJson<{ Services: { Name?: string; Type: string }[] }>(sandbox.url, [
      "xray",
      "get-service-graph",
      "--start-time",
      String((TEST_NOW - 2 * 60_000) / 1000),
      "--end-time",
      end,
    ]);
    expect(out.Services.some((s) => s.Name === "orders-api" && s.Type === "AWS::Lambda::Function")).toBe(
      true,
    );
  });
});
