/**
 * Transaction Search through the real `aws` CLI (botocore's restJson1 and awsJson1_1): the trace segment
 * destination per region, a trace retrieval from aws/spans, and Logs Insights over aws/spans. The request is
 * found through the CLI too (its REPORT line), so the CLI and the sandbox agree with each other, not with
 * constants of this file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/index";
import { awsCli, awsCliJson } from "../support/awscli";
import { startTestSandbox, TEST_NOW } from "../support/sandbox";

const REGION = "eu-west-1";
const MINUTE = 60_000;
let sb: Sandbox;
const json = <T>(args: string[], region = REGION) => awsCliJson<T>(sb.url, args, { region });

interface Retrieved {
  RetrievalStatus: string;
  TraceFormat?: string;
  Traces?: { Id: string; Duration: number; Spans: { Id: string; Document: string }[] }[];
}

let report: { requestId: string; traceId: string; segmentId: string };

beforeAll(async () => {
  sb = await startTestSandbox({ functionsPerRegion: 20 });
  const fn = [...(sb.account.regions.get(REGION)?.functions.values() ?? [])]
    .filter((f) => f.tracing === "Active" && f.logFormat === "Text")
    .sort((a, b) => b.traffic.peakPerMinute - a.traffic.peakPerMinute)[0]!;
  const page = await json<{ events: { message: string }[] }>([
    "logs",
    "filter-log-events",
    "--log-group-name",
    fn.logGroup,
    "--start-time",
    String(TEST_NOW - 5 * MINUTE),
    "--end-time",
    String(TEST_NOW),
    "--filter-pattern",
    "REPORT",
    "--max-items",
    "200",
  ]);
  const m = page.events
    .map((e) =>
      /^REPORT RequestId: (\S+)\t[\s\S]*XRAY TraceId: (\S+)\tSegmentId: (\S+)\tSampled: true/.exec(e.message),
    )
    .find((x) => x !== null);
  if (!m) throw new Error("no sampled REPORT line");
  report = { requestId: m[1]!, traceId: m[2]!, segmentId: m[3]! };
});

afterAll(async () => {
  await sb?.close();
});

describe("aws xray (Transaction Search)", () => {
  it("get-trace-segment-destination answers per region", async () => {
    expect(await json(["xray", "get-trace-segment-destination"])).toEqual({
      Destination: "CloudWatchLogs",
      Status: "ACTIVE",
    });
    expect(await json(["xray", "get-trace-segment-destination"], "us-east-1")).toEqual({
      Destination: "XRay",
      Status: "ACTIVE",
    });
  });

  it("start-trace-retrieval then list-retrieved-traces returns the request's spans", async () => {
    const { RetrievalToken } = await json<{ RetrievalToken: string }>([
      "xray",
      "start-trace-retrieval",
      "--trace-ids",
      report.traceId,
      "--start-time",
      // The trace starts at the request's arrival, which may be minutes before its REPORT line.
      new Date(TEST_NOW - 20 * MINUTE).toISOString(),
      "--end-time",
      new Date(TEST_NOW).toISOString(),
    ]);
    expect(RetrievalToken).toMatch(/^\S+$/);
    const list = (format: string) =>
      json<Retrieved>([
        "xray",
        "list-retrieved-traces",
        "--retrieval-token",
        RetrievalToken,
        "--trace-format",
        format,
      ]);
    let r = await list("OTEL");
    for (let i = 0; r.RetrievalStatus !== "COMPLETE" && i < 10; i++) {
      expect(r.RetrievalStatus).toBe("RUNNING");
      expect(r.Traces ?? []).toEqual([]);
      r = await list("OTEL");
    }
    expect(r.RetrievalStatus).toBe("COMPLETE");
    expect(r.Traces?.map((t) => t.Id)).toEqual([report.traceId]);
    const docs = r.Traces![0]!.Spans.map((s) => JSON.parse(s.Document) as Record<string, unknown>);
    const root = docs.find((d) => d.parentSpanId === undefined);
    expect(root).toMatchObject({
      spanId: report.segmentId,
      kind: "SERVER",
      attributes: { "faas.invocation_id": report.requestId },
    });

    const xr = await list("XRAY");
    expect(xr.RetrievalStatus).toBe("COMPLETE");
    expect(xr.Traces![0]!.Spans.map((s) => s.Id)).toContain(report.segmentId);
  });

  it("rejects an unknown retrieval token as AWS does", async () => {
    const r = await awsCli(sb.url, ["xray", "list-retrieved-traces", "--retrieval-token", "ab".repeat(20)], {
      region: REGION,
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errorCode).toBe("ResourceNotFoundException");
    const garbled = await awsCli(sb.url, ["xray", "list-retrieved-traces", "--retrieval-token", "x"], {
      region: REGION,
    });
    expect(garbled.ok).toBe(false);
    if (!garbled.ok) expect(garbled.errorCode).toBe("InvalidRequestException");
  });
});

describe("aws logs on aws/spans", () => {
  it("start-query / get-query-results read the spans with their JSON fields", async () => {
    const { queryId } = await json<{ queryId: string }>([
      "logs",
      "start-query",
      "--log-group-names",
      "aws/spans",
      "--start-time",
      String(Math.floor((TEST_NOW - 10 * MINUTE) / 1000)),
      "--end-time",
      String(Math.floor(TEST_NOW / 1000)),
      "--query-string",
      `fields traceId, name, attributes.faas.invocation_id | filter traceId = "${report.traceId.slice(2).replace("-", "")}" | sort @timestamp asc`,
    ]);
    type Results = { status: string; results: { field: string; value: string }[][] };
    let r: Results = { status: "Scheduled", results: [] };
    for (let i = 0; i < 200 && r.status !== "Complete"; i++) {
      if (i > 0) await new Promise((res) => setTimeout(res, 100));
      r = await json<Results>(["logs", "get-query-results", "--query-id", queryId]);
    }
    expect(r.status).toBe("Complete");
    const rows = r.results.map((row) => Object.fromEntries(row.map((f) => [f.field, f.value])));
    expect(rows.length).toBeGreaterThanOrEqual(1);
    const root = rows.filter((x) => x["attributes.faas.invocation_id"] === report.requestId);
    expect(root).toHaveLength(1);
    for (const row of rows) expect(row.traceId).toBe(report.traceId.slice(2).replace("-", ""));
  });
});
