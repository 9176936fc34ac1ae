/**
 * Lambda@Edge in the sandbox (issue 13), through the SDK and the `aws` CLI over HTTP: edge-rewriter in
 * us-east-1 with the replicator statement in its policy, and its replicas logging to
 * `/aws/lambda/us-east-1.edge-rewriter` and publishing AWS/Lambda metrics as `us-east-1.edge-rewriter` in three
 * regions, one of them (ap-northeast-1) outside the fleet's regions. The metrics, the REPORT lines and the
 * simulator's invocations agree in each region.
 */
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  type FilteredLogEvent,
} from "@aws-sdk/client-cloudwatch-logs";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recogniseEdge } from "@/lib/core/edge/recognise";
import { parsePolicy } from "@/lib/core/triggers/policy";
import type { Sandbox, SimFunction } from "@fleetscope/sandbox";
import { awsCli, awsCliJson } from "@fleetscope/sandbox/testing/awscli";
import { startTestSandbox, TEST_CREDENTIALS, TEST_NOW } from "@fleetscope/sandbox/testing/sandbox";

const MIN = 60_000;
const REPLICA = "us-east-1.edge-rewriter";
const GROUP = `/aws/lambda/${REPLICA}`;
const REPLICA_REGIONS = ["us-east-1", "eu-west-1", "ap-northeast-1"];
/** The last closed hour before the pinned clock. */
const WINDOW = { from: TEST_NOW - 60 * MIN, to: TEST_NOW };

let sb: Sandbox;

beforeAll(async () => {
  sb = await startTestSandbox({ regions: ["us-east-1", "eu-west-1"] });
});
afterAll(async () => {
  await sb?.close();
});

const client = <T>(
  make: (c: { region: string; endpoint: string; credentials: typeof TEST_CREDENTIALS }) => T,
  region: string,
) => make({ region, endpoint: sb.url, credentials: TEST_CREDENTIALS });

function replicaIn(region: string): SimFunction {
  const fn = sb.account.regions.get(region)?.replicas?.get(REPLICA);
  if (!fn) throw new Error(`no replica in ${region}`);
  return fn;
}

/** Ground truth: the replica's invocations that started in the window (what the metrics count). */
const startedIn = (region: string) =>
  sb.ctx.sim.minutes(replicaIn(region), WINDOW.from, WINDOW.to).flatMap((m) => m.invocations);

async function filterAll(logs: CloudWatchLogsClient, from: number, to: number, pattern: string) {
  const out: FilteredLogEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: GROUP,
        startTime: from,
        endTime: to - 1,
        filterPattern: pattern,
        nextToken,
      }),
    );
    out.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

describe("the Edge function in us-east-1", () => {
  it("is an Edge-sized x86_64 function with no environment variables, and its replicas are not functions", async () => {
    const cfg = await awsCliJson<Record<string, unknown>>(sb.url, [
      "lambda",
      "get-function-configuration",
      "--function-name",
      "edge-rewriter",
      "--qualifier",
      "3",
    ]);
    expect(cfg).toMatchObject({ MemorySize: 128, Timeout: 5, Architectures: ["x86_64"], PackageType: "Zip" });
    expect(cfg.Environment).toBeUndefined();
    expect(cfg.Layers ?? []).toEqual([]);
    const lambda = client((c) => new LambdaClient(c), "us-east-1");
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await lambda.send(new ListFunctionsCommand({ Marker: marker }));
      names.push(...(page.Functions ?? []).map((f) => f.FunctionName ?? ""));
      marker = page.NextMarker;
    } while (marker);
    expect(names).toContain("edge-rewriter");
    expect(names).not.toContain(REPLICA);
    lambda.destroy();
  });

  it("has the replicator's lambda:GetFunction statement on version 3 in its policy (aws lambda get-policy)", async () => {
    const out = await awsCliJson<{ Policy: string }>(sb.url, [
      "lambda",
      "get-policy",
      "--function-name",
      "edge-rewriter",
    ]);
    const policy = JSON.parse(out.Policy) as { Statement: Record<string, unknown>[] };
    const replicator = policy.Statement.find(
      (s) => (s.Principal as { Service?: string }).Service === "replicator.lambda.amazonaws.com",
    );
    expect(replicator).toMatchObject({
      Effect: "Allow",
      Action: "lambda:GetFunction",
      Resource: `arn:aws:lambda:us-east-1:${sb.account.accountId}:function:edge-rewriter:3`,
    });
    expect(replicator?.Condition).toBeUndefined();
    // The association adds that statement only: edgelambda.amazonaws.com is in the role's trust policy, and
    // nothing in Lambda's answer names the distribution.
    expect(policy.Statement).toHaveLength(1);
    expect(out.Policy).not.toMatch(/edgelambda|cloudfront/);
    // The console's own parser and recogniser, on the wire text: the replicated version, and no more.
    const reading = parsePolicy(out.Policy);
    expect(reading.readable && recogniseEdge(reading.sources)).toEqual({
      edge: true,
      evidence: [`${String(replicator?.Sid)} (replicator.lambda.amazonaws.com)`],
      replicatedVersions: ["3"],
    });
  });

  it("gives an ordinary function's policy no Edge statement", async () => {
    const out = await awsCliJson<{ Policy: string }>(sb.url, [
      "lambda",
      "get-policy",
      "--function-name",
      "orders-api",
    ]);
    const reading = parsePolicy(out.Policy);
    expect(reading.readable && recogniseEdge(reading.sources).edge).toBe(false);
  });
});

describe("regions", () => {
  it("reaches every region enabled by default, with an empty Lambda fleet outside the fleet's, and refuses opt-in ones", async () => {
    for (const region of ["ap-northeast-1", "ap-south-1"]) {
      const listed = await awsCliJson<{ Functions: unknown[] }>(sb.url, ["lambda", "list-functions"], {
        region,
      });
      expect(listed.Functions).toEqual([]);
    }
    const mumbaiGroups = await awsCliJson<{ logGroups: unknown[] }>(sb.url, ["logs", "describe-log-groups"], {
      region: "ap-south-1",
    });
    expect(mumbaiGroups.logGroups).toEqual([]);
    // af-south-1 (Cape Town) is an opt-in region the account has not enabled.
    const capeTown = await awsCli(sb.url, ["lambda", "list-functions"], { region: "af-south-1" });
    expect(capeTown.ok ? null : capeTown.errorCode).toBe("UnrecognizedClientException");
    const logsCapeTown = await awsCli(sb.url, ["logs", "describe-log-groups"], { region: "af-south-1" });
    expect(logsCapeTown.ok ? null : logsCapeTown.errorCode).toBe("UnrecognizedClientException");
  });
});

describe.each(REPLICA_REGIONS)("the replica in %s", (region) => {
  it("has its log group (aws logs describe-log-groups), and no fleet function logs there in ap-northeast-1", async () => {
    const out = await awsCliJson<{ logGroups: { logGroupName: string }[] }>(
      sb.url,
      ["logs", "describe-log-groups", "--log-group-name-prefix", "/aws/lambda/us-east-1."],
      { region },
    );
    expect(out.logGroups.map((g) => g.logGroupName)).toEqual([GROUP]);
    if (region === "ap-northeast-1") {
      const all = await awsCliJson<{ logGroups: unknown[] }>(sb.url, ["logs", "describe-log-groups"], {
        region,
      });
      expect(all.logGroups).toHaveLength(1);
    }
  });

  it("publishes Invocations and Errors that count the invocations its START/REPORT lines are written for", async () => {
    const started = startedIn(region);
    expect(started.length).toBeGreaterThan(100);
    const cw = client((c) => new CloudWatchClient(c), region);
    const metric = (name: string) => ({
      Id: name.toLowerCase(),
      MetricStat: {
        Metric: {
          Namespace: "AWS/Lambda",
          MetricName: name,
          Dimensions: [{ Name: "FunctionName", Value: REPLICA }],
        },
        Period: 300,
        Stat: "Sum",
      },
    });
    const data = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(WINDOW.from),
        EndTime: new Date(WINDOW.to),
        MetricDataQueries: [metric("Invocations"), metric("Errors")],
      }),
    );
    const sum = (id: string) =>
      (data.MetricDataResults?.find((r) => r.Id === id)?.Values ?? []).reduce((a, b) => a + b, 0);
    expect(sum("invocations")).toBe(started.length);
    expect(sum("errors")).toBe(started.filter((i) => i.outcome !== "success").length);
    cw.destroy();

    // Every counted invocation has its START and REPORT line in this region's group (REPORT at handler end,
    // which may fall just after the window: read a minute further).
    const logs = client((c) => new CloudWatchLogsClient(c), region);
    const reports = await filterAll(logs, WINDOW.from, WINDOW.to + MIN, '"REPORT RequestId"');
    const reported = new Set(reports.map((e) => /REPORT RequestId: (\S+)/.exec(e.message ?? "")?.[1]));
    for (const inv of started) expect(reported.has(inv.requestId)).toBe(true);
    const starts = await filterAll(logs, WINDOW.from, WINDOW.to + MIN, '"START RequestId"');
    expect(starts.every((e) => / Version: 3\n$/.test(e.message ?? ""))).toBe(true);
    logs.destroy();
  });

  it("agrees through the aws CLI: get-metric-statistics Sum equals the REPORT lines of invocations it counts", async () => {
    const started = startedIn(region);
    const stats = await awsCliJson<{ Datapoints: { Sum: number }[] }>(
      sb.url,
      [
        "cloudwatch",
        "get-metric-statistics",
        "--namespace",
        "AWS/Lambda",
        "--metric-name",
        "Invocations",
        "--dimensions",
        `Name=FunctionName,Value=${REPLICA}`,
        "--start-time",
        new Date(WINDOW.from).toISOString(),
        "--end-time",
        new Date(WINDOW.to).toISOString(),
        "--period",
        "3600",
        "--statistics",
        "Sum",
      ],
      { region },
    );
    const cliSum = stats.Datapoints.reduce((a, d) => a + d.Sum, 0);
    expect(cliSum).toBe(started.length);
    // REPORT lines in the window, as `aws logs filter-log-events` pages through them: those ending in it.
    const events = await awsCliJson<{ events: { message: string }[] }>(
      sb.url,
      [
        "logs",
        "filter-log-events",
        "--log-group-name",
        GROUP,
        "--start-time",
        String(WINDOW.from),
        "--end-time",
        String(WINDOW.to - 1),
        "--filter-pattern",
        '"REPORT RequestId"',
      ],
      { region },
    );
    const ids = new Set(startedIn(region).map((i) => i.requestId));
    const endedBefore = sb.ctx.sim
      .minutes(replicaIn(region), WINDOW.from - MIN, WINDOW.to)
      .flatMap((m) => m.invocations)
      .filter((i) => {
        const end = Math.round(i.startMs + (i.initDurationMs ?? 0) + i.durationMs);
        return end >= WINDOW.from && end < WINDOW.to;
      });
    expect(events.events).toHaveLength(endedBefore.length);
    // All but the few straddling a window edge are the invocations the metric counted.
    const counted = events.events.filter((e) =>
      ids.has(/REPORT RequestId: (\S+)/.exec(e.message)?.[1] ?? ""),
    );
    expect(Math.abs(counted.length - cliSum)).toBeLessThanOrEqual(2);
  });
});

describe.each(REPLICA_REGIONS)("aws cloudwatch list-metrics in %s", (region) => {
  it("lists the replica's function-level series, recently active or not, and no Resource series", async () => {
    for (const extra of [[], ["--recently-active", "PT3H"]]) {
      const out = await awsCliJson<{ Metrics: { MetricName: string; Dimensions: { Name: string }[] }[] }>(
        sb.url,
        [
          "cloudwatch",
          "list-metrics",
          "--namespace",
          "AWS/Lambda",
          "--dimensions",
          `Name=FunctionName,Value=${REPLICA}`,
          ...extra,
        ],
        { region },
      );
      expect(out.Metrics.map((m) => m.MetricName).sort()).toEqual([
        "ConcurrentExecutions",
        "Duration",
        "Errors",
        "Invocations",
        "Throttles",
      ]);
      expect(out.Metrics.every((m) => m.Dimensions.length === 1)).toBe(true);
    }
  });
});

describe("errors", () => {
  it("come from eu-west-1's replica only", () => {
    const errors = (region: string) => startedIn(region).filter((i) => i.outcome !== "success").length;
    expect(errors("eu-west-1")).toBeGreaterThan(0);
    expect(errors("us-east-1")).toBe(0);
    expect(errors("ap-northeast-1")).toBe(0);
  });
});
