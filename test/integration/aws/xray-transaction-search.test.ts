/**
 * The X-Ray adapter's Transaction Search calls and the request page's trace lookup against the sandbox over real
 * HTTP (contract C1: eu-west-1 sends spans to CloudWatch Logs and X-Ray indexes 1 % of the traces). The sandbox
 * renders span documents from its own model; the console reads them with its own parser, and the two must agree
 * with the REPORT line (trace id, SegmentId = root span id, request id).
 */
import { createServer, type Server, type Socket } from "node:net";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { XRayClient } from "@aws-sdk/client-xray";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientConfig } from "@/lib/aws/client-config";
import { createLambdaPort } from "@/lib/aws/lambda";
import { createLogsPort } from "@/lib/aws/logs";
import { createLogEventsPort } from "@/lib/aws/logs-events";
import { createXRayPort, type PortOptions } from "@/lib/aws/xray";
import { parseEnv } from "@/lib/config/env-schema";
import { FleetscopeError, isFleetscopeError } from "@/lib/core/errors";
import { parseLogLine } from "@/lib/core/telemetry/report-line";
import { readOtelTrace } from "@/lib/core/traces/otel";
import { readTrace } from "@/lib/core/traces/tree";
import { epochMs } from "@/lib/core/units";
import type { TraceDeps } from "@/lib/data/traces/deps";
import { clearTraceDestinations } from "@/lib/data/traces/destination";
import { createMeter } from "@/lib/data/traces/meter";
import { listTraces } from "@/lib/data/traces/list-traces";
import { findRequest, getRequestByTrace } from "@/lib/data/traces/request-view";
import type { Sandbox } from "@fleetscope/sandbox";
import { startTestSandbox, TEST_NOW } from "@fleetscope/sandbox/testing/sandbox";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";

const REGION = "eu-west-1";
const HOUR = 3_600_000;
let sandbox: Sandbox;
/** The sandbox's single account, read with the console's own credentials (as a single-account console does). */
const home = (): AccountTarget => ({
  id: parseAccountId(sandbox.account.accountId),
  name: null,
  source: "home",
  roleArn: null,
  externalId: null,
  telemetry: "direct",
});
let settings: ReturnType<typeof parseEnv>;
let deps: TraceDeps;
const clients: { destroy(): void }[] = [];
const make = <T extends { destroy(): void }>(c: T) => (clients.push(c), c);

const xrayPort = (region: string, options: PortOptions = {}) =>
  createXRayPort(make(new XRayClient(clientConfig(region, settings))), region, options);

interface Sampled {
  fn: string;
  requestId: string;
  traceId: string;
  segmentId: string;
  at: number;
}

/** Sampled requests of eu-west-1's traced functions in the last hour, from their REPORT lines (via the SDK). */
async function sampledRequests(): Promise<Sampled[]> {
  const lambda = createLambdaPort(make(new LambdaClient(clientConfig(REGION, settings))), REGION);
  const logs = createLogEventsPort(make(new CloudWatchLogsClient(clientConfig(REGION, settings))), REGION);
  const traced = (await lambda.listFunctions()).filter((f) => f.tracing === "Active");
  const out: Sampled[] = [];
  for (const f of traced) {
    const page = await logs.filterLogEvents({
      logGroup: f.logGroup,
      from: epochMs(TEST_NOW - HOUR),
      to: epochMs(TEST_NOW),
      pattern: '"Sampled: true"',
    });
    for (const e of page.events) {
      const p = parseLogLine(e.message);
      if (p.kind !== "report" || p.traceId === null || p.segmentId === null || p.sampled !== true) continue;
      out.push({
        fn: f.name,
        requestId: p.requestId,
        traceId: p.traceId,
        segmentId: p.segmentId,
        at: e.timestamp,
      });
    }
  }
  return out;
}

let sampled: Sampled[];
/** Sampled requests X-Ray did not index: only Transaction Search has them. */
let unindexed: Sampled[];

beforeAll(async () => {
  sandbox = await startTestSandbox();
  settings = parseEnv({ AWS_ENDPOINT_URL: sandbox.url, FLEETSCOPE_AWS_MAX_ATTEMPTS: "1" });
  deps = {
    xray: (region, meter) => xrayPort(region, { onRequest: (op) => meter.record(op) }),
    logs: (region, meter) =>
      createLogEventsPort(make(new CloudWatchLogsClient(clientConfig(region, settings))), region, {
        onRequest: (op) => meter.record(op),
      }),
    lambda: (region) => createLambdaPort(make(new LambdaClient(clientConfig(region, settings))), region),
    insights: (region) =>
      createLogsPort(make(new CloudWatchLogsClient(clientConfig(region, settings))), region),
    regions: () => ["us-east-1", REGION],
    now: () => TEST_NOW,
  };
  sampled = await sampledRequests();
  const { unprocessed } = await xrayPort(REGION).batchGetTraces(sampled.slice(0, 40).map((s) => s.traceId));
  unindexed = sampled.filter((s) => unprocessed.includes(s.traceId));
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  await sandbox?.close();
});

describe("Transaction Search adapter", () => {
  it("reads each region's trace segment destination", async () => {
    expect(await xrayPort(REGION).getTraceSegmentDestination()).toEqual({
      destination: "CloudWatchLogs",
      status: "ACTIVE",
    });
    expect(await xrayPort("us-east-1").getTraceSegmentDestination()).toEqual({
      destination: "XRay",
      status: "ACTIVE",
    });
  });

  it("reads the indexing rule: the share of traces X-Ray indexes", async () => {
    const ops: string[] = [];
    const rules = await xrayPort(REGION, { onRequest: (op) => ops.push(op) }).getIndexingRules();
    expect(rules).toEqual([{ name: "Default", actualPercent: 1, desiredPercent: 1 }]);
    expect(ops).toEqual(["GetIndexingRules"]);
  });

  it("finds sampled eu-west-1 requests X-Ray did not index (the fixture the rest relies on)", () => {
    expect(sampled.length).toBeGreaterThan(5);
    expect(unindexed.length).toBeGreaterThan(0);
  });

  it("retrieves an unindexed trace as OTel spans, polling until COMPLETE, agreeing with the REPORT line", async () => {
    const ops: string[] = [];
    const xray = xrayPort(REGION, { onRequest: (op) => ops.push(op) });
    const s = unindexed[0]!;
    const token = await xray.startTraceRetrieval([s.traceId], {
      from: epochMs(s.at - 16 * 60_000),
      to: epochMs(s.at + 60_000),
    });
    const r = await xray.listRetrievedTraces(token, "OTEL", { pauseMs: 10 });
    // The sandbox answers RUNNING first, as AWS may: the adapter polled again.
    expect(ops.filter((o) => o === "ListRetrievedTraces").length).toBeGreaterThanOrEqual(2);
    expect(r.format).toBe("OTEL");
    expect(r.traces.map((t) => t.id)).toEqual([s.traceId]);
    const { tree, facts } = readOtelTrace(s.traceId, r.traces[0]!.spans);
    expect(tree.problems).toEqual([]);
    expect(facts.requestId).toBe(s.requestId);
    expect(facts.functionName).toBe(s.fn);
    expect(tree.spans[0]?.id).toBe(s.segmentId);
    expect(tree.spans[0]?.origin).toBe("AWS::Lambda::Function");
    expect(r.traces[0]!.duration).toBeGreaterThan(0);
  });

  it("retrieves the XRAY format too, readable by the segment parser with the same root", async () => {
    const xray = xrayPort(REGION);
    const s = unindexed[0]!;
    const token = await xray.startTraceRetrieval([s.traceId], {
      from: epochMs(s.at - 16 * 60_000),
      to: epochMs(s.at + 60_000),
    });
    const r = await xray.listRetrievedTraces(token, "XRAY", { pauseMs: 10 });
    const tree = readTrace(s.traceId, r.traces[0]!.spans);
    expect(tree.problems).toEqual([]);
    expect(tree.spans.find((x) => x.origin === "AWS::Lambda::Function")?.id).toBe(s.segmentId);
  });

  it("reads every page of a retrieval of many traces", async () => {
    const xray = xrayPort(REGION);
    const ids = sampled.slice(0, 12);
    const token = await xray.startTraceRetrieval(
      ids.map((s) => s.traceId),
      { from: epochMs(TEST_NOW - 2 * HOUR), to: epochMs(TEST_NOW) },
    );
    const r = await xray.listRetrievedTraces(token, "OTEL", { pauseMs: 10 });
    expect(r.traces.map((t) => t.id).sort()).toEqual(ids.map((s) => s.traceId).sort());
  });

  it("fails with a coded Timeout when the retrieval is not COMPLETE before the deadline", async () => {
    const xray = xrayPort(REGION);
    const token = await xray.startTraceRetrieval([unindexed[0]!.traceId], {
      from: epochMs(TEST_NOW - HOUR),
      to: epochMs(TEST_NOW),
    });
    const err = await xray.listRetrievedTraces(token, "OTEL", { deadlineMs: 0 }).catch((e: unknown) => e);
    expect(isFleetscopeError(err) && err.code).toBe("Timeout");
    expect(String((err as Error).message)).toContain("RUNNING");
  });

  it("maps an unknown or malformed retrieval token to coded errors", async () => {
    const xray = xrayPort(REGION);
    const unknown = await xray.listRetrievedTraces("0".repeat(40), "OTEL").catch((e: unknown) => e);
    expect(isFleetscopeError(unknown) && unknown.code).toBe("NotFound");
    const bad = await xray.listRetrievedTraces("not-a-token", "OTEL").catch((e: unknown) => e);
    expect(isFleetscopeError(bad) && bad.code).toBe("InvalidInput");
    const empty = await xray.startTraceRetrieval([], { from: epochMs(0), to: epochMs(1) }).catch((e) => e);
    expect(isFleetscopeError(empty) && empty.code).toBe("InvalidInput");
  });
});

describe("request page in a Transaction Search region", () => {
  it("a request X-Ray did not index shows its OTel trace from Transaction Search, every request counted", async () => {
    clearTraceDestinations();
    const s = unindexed[0]!;
    await fetch(`${sandbox.url}/_sandbox/stats/reset`, { method: "POST" });
    const view = await findRequest(
      s.requestId,
      {
        account: home(),
        region: REGION,
        functionName: s.fn,
        from: s.at - 20 * 60_000,
        to: s.at + 20 * 60_000,
      },
      deps,
    );
    expect(view.traceId).toBe(s.traceId);
    expect(view.trace.ok).toBe(true);
    const data = view.trace.ok ? view.trace.value : null;
    expect(data?.source).toBe("transaction-search");
    expect(data?.format).toBe("otel");
    expect(data?.breakdown?.functionName).toBe(s.fn);
    expect(view.missingTrace).toBeNull();
    expect(view.destination?.ok && view.destination.value.destination).toBe("CloudWatchLogs");
    const counted = (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()) as Record<string, number>;
    expect(view.cost.byOperation).toEqual({
      GetFunctionConfiguration: counted["lambda.GetFunctionConfiguration"],
      FilterLogEvents: counted["logs.FilterLogEvents"],
      BatchGetTraces: counted["xray.BatchGetTraces"],
      GetTraceSegmentDestination: counted["xray.GetTraceSegmentDestination"],
      StartTraceRetrieval: counted["xray.StartTraceRetrieval"],
      ListRetrievedTraces: counted["xray.ListRetrievedTraces"],
    });
  }, 60_000);

  it("by trace id: the trace page finds it in eu-west-1 through Transaction Search", async () => {
    const s = unindexed[0]!;
    const view = await getRequestByTrace(s.traceId, { account: home() }, deps);
    expect(view.region).toBe(REGION);
    expect(view.requestId).toBe(s.requestId);
    expect(view.functionName).toBe(s.fn);
    expect(view.trace.ok && view.trace.value?.source).toBe("transaction-search");
    expect(view.logs?.ok && view.logs.value.lines.at(-1)?.text).toMatch(/^REPORT/);
  }, 60_000);

  it("an indexed trace still comes from X-Ray", async () => {
    const page = await xrayPort(REGION).getTraceSummaries({
      from: epochMs(TEST_NOW - HOUR),
      to: epochMs(TEST_NOW),
    });
    expect(page.summaries.length).toBeGreaterThan(0);
    const view = await getRequestByTrace(page.summaries[0]!.id, { account: home(), region: REGION }, deps);
    expect(view.trace.ok && view.trace.value?.source).toBe("xray");
    expect(view.trace.ok && view.trace.value?.format).toBe("xray");
    expect(view.cost.byOperation.StartTraceRetrieval).toBeUndefined();
  }, 60_000);

  it("a retrieval that fails in one region does not take the page down: the next region is tried", async () => {
    // An account without xray:StartTraceRetrieval: the real port, that one call refused as AWS would.
    const denied: TraceDeps = {
      ...deps,
      regions: () => [REGION, "us-east-1"],
      xray: (region, meter) => {
        const port = deps.xray(region, meter, home());
        return {
          ...port,
          startTraceRetrieval: async () => {
            meter.record("StartTraceRetrieval");
            throw new FleetscopeError("AccessDenied", "X-Ray StartTraceRetrieval: not authorized");
          },
        };
      },
    };
    clearTraceDestinations();
    const us = await xrayPort("us-east-1").getTraceSummaries({
      from: epochMs(TEST_NOW - HOUR),
      to: epochMs(TEST_NOW),
    });
    const inUs = us.summaries[0]!.id;
    const found = await getRequestByTrace(inUs, { account: home() }, denied);
    expect(found.region).toBe("us-east-1");
    expect(found.trace.ok && found.trace.value?.source).toBe("xray");

    // Nowhere else to find it: the trace panel says the retrieval failed, coded, instead of "not found".
    const view = await getRequestByTrace(unindexed[0]!.traceId, { account: home() }, denied);
    expect(view.trace.ok).toBe(false);
    if (!view.trace.ok) {
      expect(view.trace.error.code).toBe("AccessDenied");
      expect(view.trace.error.message).toContain(REGION);
      expect(view.trace.error.message).toContain("not authorized");
      expect(view.trace.error.message).toContain("us-east-1");
    }
    expect(view.cost.byOperation.StartTraceRetrieval).toBe(1);

    // By request id too: the failure, not a guessed reason.
    const s = unindexed[0]!;
    const byRequest = await findRequest(
      s.requestId,
      {
        account: home(),
        region: REGION,
        functionName: s.fn,
        from: s.at - 20 * 60_000,
        to: s.at + 20 * 60_000,
      },
      denied,
    );
    expect(!byRequest.trace.ok && byRequest.trace.error.code).toBe("AccessDenied");
    expect(byRequest.missingTrace).toBeNull();
    expect(byRequest.logs?.ok).toBe(true);
  }, 60_000);

  it("asks for the destination once per region per 10 minutes", async () => {
    clearTraceDestinations();
    const meter = createMeter();
    const port = deps.xray;
    const counting: TraceDeps = { ...deps, xray: (region, _m, account) => port(region, meter, account) };
    for (const s of unindexed.slice(0, 3)) {
      await findRequest(
        s.requestId,
        {
          account: home(),
          region: REGION,
          functionName: s.fn,
          from: s.at - 20 * 60_000,
          to: s.at + 20 * 60_000,
        },
        counting,
      );
    }
    expect(meter.cost().byOperation.GetTraceSegmentDestination).toBe(1);
    expect(meter.cost().byOperation.StartTraceRetrieval).toBe(Math.min(3, unindexed.length));
  }, 60_000);
});

describe("trace list in a Transaction Search region", () => {
  it("lists a function's recent traces from aws/spans, unindexed ones included", async () => {
    const fn = unindexed[0]!.fn;
    const list = await listTraces(
      { account: home(), region: REGION, functionName: fn, filter: {}, from: TEST_NOW - HOUR, to: TEST_NOW },
      deps,
    );
    expect(list.source).toBe("transaction-search");
    expect(list.indexed).toBeNull();
    const ids = new Set(list.summaries.map((s) => s.id));
    const ofFn = sampled.filter((s) => s.fn === fn);
    // Newest first, up to the limit: the function's newest sampled requests are all listed.
    const newest = [...ofFn].sort((a, b) => b.at - a.at).slice(0, 10);
    for (const s of newest) expect(ids.has(s.traceId)).toBe(true);
    expect(list.summaries.every((s) => s.entryPoint === fn && s.duration !== null)).toBe(true);
    expect(list.cost.byOperation.StartQuery).toBe(1);
    expect(list.cost.byOperation.GetTraceSummaries).toBeUndefined();

    const faults = await listTraces(
      {
        account: home(),
        region: REGION,
        functionName: fn,
        filter: { faults: true },
        from: TEST_NOW - HOUR,
        to: TEST_NOW,
      },
      deps,
    );
    expect(faults.summaries.every((s) => s.hasFault)).toBe(true);
    expect(faults.summaries.length).toBeLessThan(list.summaries.length);
  }, 60_000);

  it("keeps user text out of the query, and leaves other filters and X-Ray regions to X-Ray", async () => {
    const hostile = await listTraces(
      {
        account: home(),
        region: REGION,
        functionName: 'x" or kind = "CLIENT',
        filter: {},
        from: TEST_NOW - HOUR,
        to: TEST_NOW,
      },
      deps,
    ).catch((e: unknown) => e);
    // The function-name check refuses it before any query is built.
    expect(isFleetscopeError(hostile) && hostile.code).toBe("InvalidInput");
    const cold = await listTraces(
      {
        account: home(),
        region: REGION,
        functionName: unindexed[0]!.fn,
        filter: { coldStart: true },
        from: TEST_NOW - HOUR,
        to: TEST_NOW,
      },
      deps,
    );
    expect(cold.source).toBe("xray");
    // X-Ray's index holds the sandbox's Default rule share (1 %): the list says it is not every trace.
    expect(cold.indexed).toEqual({ percent: 1, error: null });
    const us = await listTraces(
      {
        account: home(),
        region: "us-east-1",
        functionName: "orders-api",
        filter: {},
        from: TEST_NOW - HOUR,
        to: TEST_NOW,
      },
      deps,
    );
    expect(us.source).toBe("xray");
    expect(us.indexed).toBeNull();
    expect(us.summaries.length).toBeGreaterThan(0);
  }, 60_000);
});

describe("a hung endpoint", () => {
  let server: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    server = createServer((s) => {
      sockets.push(s);
      s.on("error", () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it("bounds GetTraceSegmentDestination and ListRetrievedTraces by the configured timeout", async () => {
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    const hung = parseEnv({
      AWS_ENDPOINT_URL: `http://127.0.0.1:${address.port}`,
      FLEETSCOPE_AWS_MAX_ATTEMPTS: "1",
      FLEETSCOPE_AWS_CONNECT_TIMEOUT_MS: "1000",
      FLEETSCOPE_AWS_REQUEST_TIMEOUT_MS: "300",
    });
    const xray = createXRayPort(make(new XRayClient(clientConfig(REGION, hung))), REGION);
    for (const call of [
      () => xray.getTraceSegmentDestination(),
      () => xray.listRetrievedTraces("a".repeat(40), "OTEL"),
    ]) {
      const started = performance.now();
      const err = await call().catch((e: unknown) => e);
      expect(isFleetscopeError(err) && err.code).toBe("Timeout");
      expect(performance.now() - started).toBeLessThan(3_000);
    }
  });
});
