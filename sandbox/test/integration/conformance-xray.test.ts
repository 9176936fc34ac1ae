/**
 * X-Ray filter expressions the guide documents (xray-console-filters): `fault = true OR error = true`,
 * `ok != false`, `inferred`, bare `http.url`… through the SDK and the aws CLI. The expected traces are counted
 * here from the segment documents BatchGetTraces returns, not from the sandbox's own trace index.
 */
import {
  BatchGetTracesCommand,
  GetTraceSummariesCommand,
  XRayClient,
  type TraceSummary,
} from "@aws-sdk/client-xray";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/index";
import { awsCli, awsCliJson } from "../support/awscli";
import { startTestSandbox, TEST_CREDENTIALS, TEST_NOW } from "../support/sandbox";

const REGION = "us-east-1";
const FN = "payments-api"; // its canary version fails 15% of its invocations
const FROM = TEST_NOW - 3 * 60_000;
let sandbox: Sandbox;
let xray: XRayClient;

interface Doc {
  fault?: boolean;
  error?: boolean;
  throttle?: boolean;
  namespace?: string;
  subsegments?: Doc[];
}

/** Flags of every segment and subsegment of a trace, read from its raw documents. */
interface TraceFlags {
  fault: boolean;
  error: boolean;
  throttle: boolean;
  inferred: boolean;
}

async function summaries(filter: string): Promise<TraceSummary[]> {
  const out: TraceSummary[] = [];
  let NextToken: string | undefined;
  do {
    const page = await xray.send(
      new GetTraceSummariesCommand({
        StartTime: new Date(FROM),
        EndTime: new Date(TEST_NOW),
        FilterExpression: filter,
        NextToken,
      }),
    );
    out.push(...(page.TraceSummaries ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

const ids = (s: TraceSummary[]) => s.map((t) => t.Id as string).sort();

/** Every whole (non-partial) trace of FN in the window, with its flags computed from its documents. */
async function documentFlags(): Promise<Map<string, TraceFlags>> {
  const all = await summaries(`service("${FN}")`);
  const whole = all.filter((s) => !s.IsPartial).map((s) => s.Id as string);
  const flags = new Map<string, TraceFlags>();
  for (let i = 0; i < whole.length; i += 5) {
    const out = await xray.send(new BatchGetTracesCommand({ TraceIds: whole.slice(i, i + 5) }));
    for (const trace of out.Traces ?? []) {
      const f: TraceFlags = { fault: false, error: false, throttle: false, inferred: false };
      const stack: Doc[] = (trace.Segments ?? []).map((s) => JSON.parse(s.Document as string) as Doc);
      while (stack.length > 0) {
        const d = stack.pop() as Doc;
        f.fault ||= d.fault === true;
        f.error ||= d.error === true;
        f.throttle ||= d.throttle === true;
        f.inferred ||= d.namespace === "aws" || d.namespace === "remote";
        stack.push(...(d.subsegments ?? []));
      }
      flags.set(trace.Id as string, f);
    }
  }
  return flags;
}

let flags: Map<string, TraceFlags>;
const where = (pred: (f: TraceFlags) => boolean) =>
  [...flags]
    .filter(([, f]) => pred(f))
    .map(([id]) => id)
    .sort();

beforeAll(async () => {
  sandbox = await startTestSandbox({ functionsPerRegion: 20, regions: [REGION] });
  xray = new XRayClient({
    endpoint: sandbox.url,
    region: REGION,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
  flags = await documentFlags();
});

afterAll(async () => {
  xray.destroy();
  await sandbox.close();
});

const scoped = (expr: string) => `service("${FN}") AND partial = false AND (${expr})`;

describe("boolean keywords compared with true / false", () => {
  it("has a window with both failed and clean traces to tell them apart", () => {
    expect(where((f) => f.fault || f.error).length).toBeGreaterThan(0);
    expect(where((f) => !f.fault && !f.error).length).toBeGreaterThan(0);
  });

  it("fault = true OR error = true returns exactly the traces with a fault or error segment", async () => {
    const expected = where((f) => f.fault || f.error);
    expect(ids(await summaries(scoped("fault = true OR error = true")))).toEqual(expected);
    expect(ids(await summaries(scoped("fault OR error")))).toEqual(expected);
  });

  it("fault = false and fault != true are !fault; ok != false is ok", async () => {
    const noFault = where((f) => !f.fault);
    expect(ids(await summaries(scoped("fault = false")))).toEqual(noFault);
    expect(ids(await summaries(scoped("fault != true")))).toEqual(noFault);
    const ok = where((f) => !f.fault && !f.error && !f.throttle);
    expect(ids(await summaries(scoped("ok != false")))).toEqual(ok);
    expect(ids(await summaries(scoped("ok = true")))).toEqual(ok);
  });

  it("inferred matches traces with downstream (inferred) nodes, root only the entry node", async () => {
    expect(ids(await summaries(scoped("inferred")))).toEqual(where((f) => f.inferred));
    expect(ids(await summaries(scoped("!inferred")))).toEqual(where((f) => !f.inferred));
    // The entry point is the AWS::Lambda node, never the function node.
    expect(
      ids(await summaries(scoped(`service(id(name: "${FN}", type: "AWS::Lambda")) { root = true }`))),
    ).toEqual([...flags.keys()].sort());
    expect(
      await summaries(scoped(`service(id(name: "${FN}", type: "AWS::Lambda::Function")) { root }`)),
    ).toEqual([]);
  });

  it("the aws CLI sends the same expression and gets the same traces", async () => {
    const out = await awsCliJson<{ TraceSummaries: { Id: string }[] }>(sandbox.url, [
      "xray",
      "get-trace-summaries",
      "--start-time",
      new Date(FROM).toISOString(),
      "--end-time",
      new Date(TEST_NOW).toISOString(),
      "--filter-expression",
      scoped("fault = true OR error = true"),
    ]);
    expect(out.TraceSummaries.map((t) => t.Id).sort()).toEqual(where((f) => f.fault || f.error));
  });
});

describe("keywords the sandbox does not evaluate", () => {
  it.each([
    'group.name = "high_response_time"',
    'group.arn = "arn:aws:xray:us-east-1:123456789012:group/x/y"',
    'rootcause.fault.service { name = "Auth" }',
    'user = "alice"',
    "json",
    "fault = maybe",
  ])("%s → InvalidRequestException", async (expression) => {
    await expect(
      xray.send(
        new GetTraceSummariesCommand({
          StartTime: new Date(FROM),
          EndTime: new Date(TEST_NOW),
          FilterExpression: expression,
        }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidRequestException",
      $metadata: { httpStatusCode: 400 },
      message: expect.stringMatching(/^Invalid filter expression: /),
    });
  });

  it("the aws CLI reads the same error code", async () => {
    const r = await awsCli(sandbox.url, [
      "xray",
      "get-trace-summaries",
      "--start-time",
      new Date(FROM).toISOString(),
      "--end-time",
      new Date(TEST_NOW).toISOString(),
      "--filter-expression",
      'group.name = "high_response_time"',
    ]);
    expect(r.ok ? null : r.errorCode).toBe("InvalidRequestException");
  });
});
