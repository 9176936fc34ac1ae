/**
 * The X-Ray and FilterLogEvents adapters and the trace use-cases against the sandbox over real HTTP. The
 * sandbox writes REPORT lines and segment documents from its own model, so agreement here (init duration in the
 * trace = Init Duration on the REPORT line; request counts = the sandbox's own counters) checks two independent
 * implementations against each other.
 */
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { XRayClient } from "@aws-sdk/client-xray";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientConfig } from "@/lib/aws/client-config";
import { createLambdaPort } from "@/lib/aws/lambda";
import { createLogEventsPort } from "@/lib/aws/logs-events";
import { createXRayPort } from "@/lib/aws/xray";
import { parseEnv } from "@/lib/config/env-schema";
import { isFleetscopeError } from "@/lib/core/errors";
import { readTrace } from "@/lib/core/traces/tree";
import { epochMs } from "@/lib/core/units";
import type { TraceDeps } from "@/lib/data/traces/deps";
import { listTraces } from "@/lib/data/traces/list-traces";
import { findRequest, getRequestByTrace } from "@/lib/data/traces/request-view";
import type { Sandbox } from "@fleetscope/sandbox";
import { startTestSandbox, TEST_NOW } from "@fleetscope/sandbox/testing/sandbox";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";

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
let deps: TraceDeps;
const clients: { destroy(): void }[] = [];
const HOUR = 3_600_000;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  const settings = parseEnv({ AWS_ENDPOINT_URL: sandbox.url, FLEETSCOPE_AWS_MAX_ATTEMPTS: "1" });
  const make = <T extends { destroy(): void }>(c: T) => (clients.push(c), c);
  deps = {
    xray: (region, meter) =>
      createXRayPort(make(new XRayClient(clientConfig(region, settings))), region, {
        onRequest: (op) => meter.record(op),
      }),
    logs: (region, meter) =>
      createLogEventsPort(make(new CloudWatchLogsClient(clientConfig(region, settings))), region, {
        onRequest: (op) => meter.record(op),
      }),
    lambda: (region) => createLambdaPort(make(new LambdaClient(clientConfig(region, settings))), region),
    regions: () => ["us-east-1", "eu-west-1"],
    now: () => TEST_NOW,
  };
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await sandbox?.close();
});

const stats = async () =>
  (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()) as Record<string, number>;
const resetStats = () => fetch(`${sandbox.url}/_sandbox/stats/reset`, { method: "POST" });

describe("X-Ray adapter", () => {
  it("lists summaries by an escaped filter and batches BatchGetTraces at 5 ids per request", async () => {
    const ops: string[] = [];
    const xray = deps.xray(
      "us-east-1",
      { record: (op: string) => ops.push(op), cost: () => ({ total: 0, byOperation: {} }) },
      home(),
    );
    const page = await xray.getTraceSummaries({
      from: epochMs(TEST_NOW - HOUR),
      to: epochMs(TEST_NOW),
      filterExpression: 'service("payments-api")',
    });
    expect(page.summaries.length).toBeGreaterThanOrEqual(12);
    const ids = page.summaries.slice(0, 12).map((s) => s.id);
    await resetStats();
    const { traces, unprocessed } = await xray.batchGetTraces([...ids, ids[0]!]);
    expect(traces.map((t) => t.id).sort()).toEqual([...ids].sort());
    expect(unprocessed).toEqual([]);
    expect(ops.filter((o) => o === "BatchGetTraces")).toHaveLength(3);
    expect((await stats())["xray.BatchGetTraces"]).toBe(3);
  });

  it("reports ids X-Ray does not have as unprocessed", async () => {
    const xray = deps.xray(
      "us-east-1",
      { record: () => {}, cost: () => ({ total: 0, byOperation: {} }) },
      home(),
    );
    const r = await xray.batchGetTraces(["1-00000000-000000000000000000000000"]);
    expect(r.traces).toEqual([]);
    expect(r.unprocessed).toEqual(["1-00000000-000000000000000000000000"]);
  });
});

describe("request lookup", () => {
  it("a cold start found by request id: trace Initialization lasts exactly the REPORT line's Init Duration", async () => {
    const list = await listTraces(
      {
        account: home(),
        region: "us-east-1",
        functionName: "notify-sms",
        filter: { coldStart: true },
        from: TEST_NOW - 6 * HOUR,
        to: TEST_NOW,
      },
      deps,
    );
    expect(list.filterExpression).toBe('service("notify-sms") AND annotation.coldStart = true');
    const summary = list.summaries[0];
    expect(summary).toBeDefined();
    const byTrace = await getRequestByTrace(summary!.id, { account: home(), region: "us-east-1" }, deps);
    expect(byTrace.requestId).toMatch(/^[0-9a-f-]{36}$/);

    await resetStats();
    const view = await findRequest(
      byTrace.requestId!,
      {
        account: home(),
        region: "us-east-1",
        functionName: "notify-sms",
        from: summary!.start - HOUR,
        to: summary!.start + HOUR,
      },
      deps,
    );
    expect(view.traceId).toBe(summary!.id);
    expect(view.invocation?.coldStart).toBe(true);
    expect(view.trace.ok && view.trace.value?.breakdown?.init).toBe(view.invocation?.initDuration);
    expect(view.logs?.ok && view.logs.value.lines[0]?.text).toMatch(/^INIT_START/);
    expect(view.logs?.ok && view.logs.value.lines.at(-1)?.text).toMatch(/^REPORT/);
    // The page's own count agrees with the sandbox's counters.
    const counted = await stats();
    expect(view.cost.byOperation).toEqual({
      GetFunctionConfiguration: counted["lambda.GetFunctionConfiguration"],
      FilterLogEvents: counted["logs.FilterLogEvents"],
      BatchGetTraces: counted["xray.BatchGetTraces"],
    });
    expect(view.cost.total).toBeLessThanOrEqual(6);
  }, 60_000);

  it("searches the fleet's log groups when no function is given, and says where it looked", async () => {
    const list = await listTraces(
      {
        account: home(),
        region: "us-east-1",
        functionName: "audit-trail",
        filter: {},
        from: TEST_NOW - HOUR,
        to: TEST_NOW,
      },
      deps,
    );
    const byTrace = await getRequestByTrace(
      list.summaries[0]!.id,
      { account: home(), region: "us-east-1" },
      deps,
    );
    // audit-trail logs JSON to a custom group: the lookup must follow LoggingConfig.
    expect(byTrace.logs?.ok && byTrace.logs.value.logGroup).toBe("/custom/audit-trail");
    const view = await findRequest(
      byTrace.requestId!,
      {
        account: home(),
        region: "us-east-1",
        from: list.summaries[0]!.start - 1_800_000,
        to: list.summaries[0]!.start + 1_800_000,
      },
      deps,
    );
    expect(view.functionName).toBe("audit-trail");
    expect(view.searched?.logGroups).toContain("/custom/audit-trail");
    expect(view.searched?.skippedGroups).toBe(0);
    expect(view.cost.byOperation.ListFunctions).toBeGreaterThan(0);
  }, 60_000);

  it("an unknown request id is NotFound and names the function, region and window", async () => {
    const err = await findRequest(
      "00000000-0000-4000-8000-000000000000",
      {
        account: home(),
        region: "us-east-1",
        functionName: "orders-api",
        from: TEST_NOW - HOUR,
        to: TEST_NOW,
      },
      deps,
    ).catch((e: unknown) => e);
    expect(isFleetscopeError(err) && err.code).toBe("NotFound");
    expect(String((err as Error).message)).toMatch(/\/aws\/lambda\/orders-api.*us-east-1.*2026-11-23T11:00/);
  });

  it("a failed canary request (payments-api v8) carries its exception", async () => {
    const list = await listTraces(
      {
        account: home(),
        region: "us-east-1",
        functionName: "payments-api",
        filter: { faults: true, annotations: { version: "8" } },
        from: TEST_NOW - HOUR,
        to: TEST_NOW,
      },
      deps,
    );
    expect(list.summaries.length).toBeGreaterThan(0);
    expect(list.summaries.every((s) => s.hasFault)).toBe(true);
    const view = await getRequestByTrace(list.summaries[0]!.id, { account: home() }, deps);
    const tree = readTrace(view.traceId!, view.trace.ok ? view.trace.value!.segments : []);
    expect(tree.spans.some((s) => s.exceptions.length > 0)).toBe(true);
    expect(view.trace.ok && view.trace.value?.breakdown?.version).toBe("8");
  });

  it("the planted malformed trace shows what could be read and says what could not", async () => {
    const at = TEST_NOW - HOUR; // 11:00, the first minute of an hour
    const list = await listTraces(
      {
        account: home(),
        region: "us-east-1",
        functionName: "payments-api",
        filter: {},
        from: at,
        to: at + 60_000,
      },
      deps,
    );
    const partial = list.summaries.filter((s) => s.isPartial);
    expect(partial.length).toBeGreaterThan(0);
    const view = await getRequestByTrace(partial[0]!.id, { account: home(), region: "us-east-1" }, deps);
    expect(view.trace.ok).toBe(true);
    const data = view.trace.ok ? view.trace.value! : null;
    expect(data?.problems.length).toBeGreaterThan(0);
    const tree = readTrace(view.traceId!, data!.segments);
    expect(tree.spans.map((s) => s.origin)).toContain("AWS::Lambda");
    expect(tree.spans.map((s) => s.origin)).not.toContain("AWS::Lambda::Function");
  });

  it("a malformed trace id is InvalidInput before any AWS call", async () => {
    await expect(getRequestByTrace("1-xyz", { account: home() }, deps)).rejects.toThrow(
      /not an X-Ray trace id/,
    );
  });
});
