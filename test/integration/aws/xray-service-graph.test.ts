/**
 * GetServiceGraph through the X-Ray port against the sandbox over HTTP, checked against the `aws` CLI (botocore,
 * an independent client), and the map's edge filter checked against the traces X-Ray lists for it.
 */
import { XRayClient } from "@aws-sdk/client-xray";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientConfig } from "@/lib/aws/client-config";
import { createXRayPort, type XRayPort } from "@/lib/aws/xray";
import { parseEnv } from "@/lib/config/env-schema";
import { nodeId, parseNodeId, type ServiceGraph } from "@/lib/core/traces/service-graph";
import { epochMs } from "@/lib/core/units";
import type { TraceDeps } from "@/lib/data/traces/deps";
import { listTraces } from "@/lib/data/traces/list-traces";
import { getServiceMap } from "@/lib/data/traces/service-map";
import type { Sandbox } from "@fleetscope/sandbox";
import { awsCliJson } from "@fleetscope/sandbox/testing/awscli";
import { startTestSandbox, TEST_NOW } from "@fleetscope/sandbox/testing/sandbox";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";

const HOUR = 3_600_000;
const FROM = epochMs(TEST_NOW - HOUR);
const TO = epochMs(TEST_NOW);

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
let client: XRayClient;
let port: XRayPort;
let deps: TraceDeps;
const ops: string[] = [];

beforeAll(async () => {
  sandbox = await startTestSandbox();
  const settings = parseEnv({ AWS_ENDPOINT_URL: sandbox.url, FLEETSCOPE_AWS_MAX_ATTEMPTS: "1" });
  client = new XRayClient(clientConfig("us-east-1", settings));
  port = createXRayPort(client, "us-east-1", { onRequest: (op) => ops.push(op) });
  deps = {
    xray: (region, meter) => createXRayPort(client, region, { onRequest: (op) => meter.record(op) }),
    logs: () => {
      throw new Error("not used");
    },
    lambda: () => {
      throw new Error("not used");
    },
    regions: () => ["us-east-1"],
    now: () => TEST_NOW,
  };
});

afterAll(async () => {
  client?.destroy();
  await sandbox?.close();
});

const setFaults = async (config: object) => {
  const r = await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", body: JSON.stringify(config) });
  expect(r.ok).toBe(true);
};

interface CliStats {
  OkCount: number;
  TotalCount: number;
  TotalResponseTime: number;
  ErrorStatistics: { TotalCount: number; ThrottleCount: number };
  FaultStatistics: { TotalCount: number };
}
interface CliService {
  ReferenceId: number;
  Name?: string;
  Type: string;
  SummaryStatistics?: CliStats;
  Edges: { ReferenceId: number; SummaryStatistics: CliStats }[];
}

const PAYMENTS_FN = nodeId({ type: "AWS::Lambda::Function", name: "payments-api" });
const PAYMENTS_SVC = nodeId({ type: "AWS::Lambda", name: "payments-api" });

describe("X-Ray GetServiceGraph port", () => {
  let graph: ServiceGraph;

  beforeAll(async () => {
    graph = await port.getServiceGraph({ from: FROM, to: TO });
  });

  it("agrees with `aws xray get-service-graph` node by node and edge by edge", async () => {
    const cli = await awsCliJson<{ Services: CliService[] }>(sandbox.url, [
      "xray",
      "get-service-graph",
      "--start-time",
      new Date(FROM).toISOString(),
      "--end-time",
      new Date(TO).toISOString(),
    ]);
    const idOf = new Map(
      cli.Services.map((s) => [s.ReferenceId, nodeId({ type: s.Type, name: s.Name ?? "client" })]),
    );
    expect(graph.nodes.map((n) => n.id).sort()).toEqual([...idOf.values()].sort());
    expect(graph.nodes.length).toBeGreaterThan(10);

    for (const s of cli.Services) {
      const node = graph.nodes.find((n) => n.id === idOf.get(s.ReferenceId))!;
      const st = s.SummaryStatistics;
      expect(node.requests).toBe(st?.TotalCount ?? 0);
      expect(node.ok).toBe(st?.OkCount ?? 0);
      expect(node.errors).toBe(st?.ErrorStatistics.TotalCount ?? 0);
      expect(node.faults).toBe(st?.FaultStatistics.TotalCount ?? 0);
      expect(node.throttles).toBe(st?.ErrorStatistics.ThrottleCount ?? 0);
      if (st && st.TotalCount > 0) {
        expect(node.avgResponseMs).toBeCloseTo((st.TotalResponseTime / st.TotalCount) * 1000, 2);
      }
    }
    const cliEdges = cli.Services.flatMap((s) =>
      s.Edges.map((e) => ({
        key: `${idOf.get(s.ReferenceId)}>${idOf.get(e.ReferenceId)}`,
        requests: e.SummaryStatistics.TotalCount,
        faults: e.SummaryStatistics.FaultStatistics.TotalCount,
        errors: e.SummaryStatistics.ErrorStatistics.TotalCount,
      })),
    );
    const portEdges = graph.edges.map((e) => ({
      key: `${e.from}>${e.to}`,
      requests: e.requests,
      faults: e.faults,
      errors: e.errors,
    }));
    const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : 1);
    expect(portEdges.sort(byKey)).toEqual(cliEdges.sort(byKey));
  });

  it("shows payments-api's failing canary as faults on the Lambda service → function edge", () => {
    const edge = graph.edges.find((e) => e.from === PAYMENTS_SVC && e.to === PAYMENTS_FN)!;
    expect(edge).toBeDefined();
    // v8 fails 15 % of the 30 % it serves (sandbox/README.md): a few percent of the alias's requests.
    const rate = (edge.faults + edge.errors) / edge.requests;
    expect(rate).toBeGreaterThan(0.01);
    expect(rate).toBeLessThan(0.15);
    expect(edge.requests).toBeGreaterThan(50);
  });

  it("refuses a window over 24 hours without asking X-Ray", async () => {
    ops.length = 0;
    await expect(port.getServiceGraph({ from: epochMs(TEST_NOW - 25 * HOUR), to: TO })).rejects.toMatchObject(
      { code: "InvalidInput", message: expect.stringMatching(/at most 24 hours/) },
    );
    expect(ops).toEqual([]);
  });

  it("maps an X-Ray throttle to a coded error", async () => {
    await setFaults({ xray: { throttleRate: 1 } });
    try {
      await expect(port.getServiceGraph({ from: FROM, to: TO })).rejects.toMatchObject({ code: "Throttled" });
    } finally {
      await setFaults({});
    }
  });
});

describe("service map use-case", () => {
  it("narrows the map to one function's neighbourhood and lays every node out", async () => {
    const map = await getServiceMap(
      { account: home(), region: "us-east-1", from: FROM, to: TO, functionName: "payments-api" },
      deps,
    );
    const ids = map.graph.nodes.map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining([PAYMENTS_SVC, PAYMENTS_FN]));
    for (const e of map.graph.edges)
      expect([e.from, e.to].some((id) => id.endsWith("|payments-api"))).toBe(true);
    expect(map.layout.nodes.map((n) => n.id).sort()).toEqual([...ids].sort());
    expect(map.cost.byOperation).toEqual({ GetServiceGraph: 1 });
  });

  it("the edge's trace filter lists traces of that edge, faults among them", async () => {
    const list = await listTraces(
      {
        account: home(),
        region: "us-east-1",
        from: FROM,
        to: TO,
        filter: { edge: { from: parseNodeId(PAYMENTS_SVC)!, to: parseNodeId(PAYMENTS_FN)! } },
      },
      deps,
    );
    expect(list.filterExpression).toBe(
      'edge(id(name: "payments-api", type: "AWS::Lambda"), id(name: "payments-api", type: "AWS::Lambda::Function"))',
    );
    expect(list.summaries.length).toBeGreaterThan(0);
    expect(list.summaries.every((s) => s.services.includes("payments-api"))).toBe(true);
    expect(list.summaries.some((s) => s.hasFault || s.hasError)).toBe(true);
  });
});
