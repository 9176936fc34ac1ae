/**
 * Telemetry read through a CloudWatch cross-account observability monitoring account equals what each source
 * account reads for itself. A sandbox with three accounts, account 0 monitoring the other two; the monitoring side
 * uses the console's own (long-term) credentials, each source side the credentials of its `fleetscope` role,
 * assumed with the sandbox's STS. Both sides go through the same adapters (lib/aws/cloudwatch, logs, logs-events)
 * over HTTP: the monitoring side with `sourceAccount`, the source side without, as every single-account caller.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCloudWatchPort, type CloudWatchPort, type MetricQuery } from "@/lib/aws/cloudwatch";
import { createLogsPort, DEFAULT_TIMING, type LogsPort } from "@/lib/aws/logs";
import { createLogEventsPort, type LogEventsPort } from "@/lib/aws/logs-events";
import { isFleetscopeError } from "@/lib/core/errors";
import { readReportBin, reportBinsQuery, type ReportBin } from "@/lib/core/query/telemetry-insights";
import { epochMs, seconds } from "@/lib/core/units";
import type { Sandbox } from "@fleetscope/sandbox";
import { TEST_CREDENTIALS, TEST_NOW, startTestSandbox } from "@fleetscope/sandbox/testing/sandbox";

const REGION = "us-east-1";
const MONITORING = "111111111111";
const SOURCES = ["222222222222", "333333333333"] as const;
const MINUTE = 60_000;
const window = { start: epochMs(TEST_NOW - 30 * MINUTE), end: epochMs(TEST_NOW) };
const fast = { ...DEFAULT_TIMING, firstPollMs: 20, maxPollMs: 100 };

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

interface Side {
  cloudwatch: CloudWatchPort;
  logs: LogsPort;
  events: LogEventsPort;
  destroy(): void;
}

function sideWith(credentials: Credentials): Side {
  const config = { endpoint: sb.url, region: REGION, credentials, maxAttempts: 3 };
  const cw = new CloudWatchClient(config);
  const logs = new CloudWatchLogsClient(config);
  return {
    cloudwatch: createCloudWatchPort(cw, REGION),
    logs: createLogsPort(logs, REGION, fast),
    events: createLogEventsPort(logs, REGION),
    destroy: () => {
      cw.destroy();
      logs.destroy();
    },
  };
}

let sb: Sandbox;
let sts: STSClient;
let monitoring: Side;
const source = new Map<string, Side>();

async function roleCredentials(accountId: string): Promise<Credentials> {
  const r = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/fleetscope`,
      RoleSessionName: "cross-account-telemetry",
    }),
  );
  const c = r.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
    throw new Error("AssumeRole returned no credentials");
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

beforeAll(async () => {
  sb = await startTestSandbox({
    functionsPerRegion: 12,
    regions: [REGION],
    accounts: [
      { id: MONITORING, name: "management" },
      { id: SOURCES[0], name: "member-1" },
      { id: SOURCES[1], name: "member-2" },
    ],
    monitoring: { accountId: MONITORING, sourceAccountIds: [...SOURCES] },
  });
  sts = new STSClient({ endpoint: sb.url, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  monitoring = sideWith(TEST_CREDENTIALS);
  for (const id of SOURCES) source.set(id, sideWith(await roleCredentials(id)));
});
afterAll(async () => {
  monitoring?.destroy();
  for (const s of source.values()) s.destroy();
  sts?.destroy();
  await sb?.close();
});

const sideOf = (id: string) => source.get(id) as Side;
const functionsOf = (id: string) => [
  ...(sb.ctxFor(id)?.account.regions.get(REGION)?.functions.values() ?? []),
];

/** A few metrics of each function, keyed `<key prefix><function>/<metric>/<stat>`. */
function metricQueries(id: string, keyPrefix: string, sourceAccount?: string): MetricQuery[] {
  return functionsOf(id).flatMap((f) =>
    (
      [
        ["Invocations", "Sum"],
        ["Errors", "Sum"],
        ["Duration", "p99"],
        ["Duration", "Average"],
      ] as const
    ).map(([metricName, stat]) => ({
      key: `${keyPrefix}${f.name}/${metricName}/${stat}`,
      metricName,
      stat,
      dimensions: { kind: "function" as const, functionName: f.name },
      period: seconds(300),
      ...(sourceAccount === undefined ? {} : { sourceAccount }),
    })),
  );
}

const byKey = (series: Map<string, { timestamps: number[]; values: number[] }>, prefix = "") =>
  Object.fromEntries(
    [...series].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]),
  );

const sortBins = (bins: ReportBin[]) =>
  [...bins].sort((a, b) => a.logGroup.localeCompare(b.logGroup) || Number(a.t) - Number(b.t));

describe("telemetry through a monitoring account", () => {
  it("acts as each source account with its role's credentials (the comparison's other side)", async () => {
    for (const id of SOURCES) {
      const creds = await roleCredentials(id);
      const client = new STSClient({ endpoint: sb.url, region: REGION, credentials: creds, maxAttempts: 1 });
      const me = await client.send(new GetCallerIdentityCommand({}));
      client.destroy();
      expect(me.Account).toBe(id);
    }
    expect(functionsOf(SOURCES[0]).length).toBeGreaterThan(0);
  });

  it("reads both sources' metrics in one monitoring-account request, equal to what each source reads itself", async () => {
    const queries = SOURCES.flatMap((id) => metricQueries(id, `${id}/`, id));
    sb.resetStats();
    const through = await monitoring.cloudwatch.getMetricData(queries, window);
    // One GetMetricData, sent by the monitoring account: the sources were not asked.
    expect(sb.statsByAccount()[MONITORING]?.["monitoring.GetMetricData"]).toBe(1);
    for (const id of SOURCES) expect(sb.statsByAccount()[id]?.["monitoring.GetMetricData"] ?? 0).toBe(0);

    for (const id of SOURCES) {
      const own = await sideOf(id).cloudwatch.getMetricData(metricQueries(id, ""), window);
      const invocations = [...own].filter(([k]) => k.includes("/Invocations/"));
      expect(invocations.reduce((n, [, s]) => n + s.values.reduce((a, b) => a + b, 0), 0)).toBeGreaterThan(0);
      expect(byKey(through, `${id}/`)).toEqual(byKey(own));
    }
  });

  it("answers without a source account from the monitoring account's own metrics, not a source's", async () => {
    const [id] = SOURCES;
    const own = byKey(await sideOf(id).cloudwatch.getMetricData(metricQueries(id, ""), window));
    const unqualified = byKey(await monitoring.cloudwatch.getMetricData(metricQueries(id, ""), window));
    // Naming the monitoring account itself is the same as naming none.
    const mine = byKey(await monitoring.cloudwatch.getMetricData(metricQueries(id, "", MONITORING), window));
    expect(unqualified).toEqual(mine);
    expect(unqualified).not.toEqual(own);
  });

  it("totals each source's REPORT lines through the monitoring account exactly as the source does", async () => {
    for (const id of SOURCES) {
      let reports = 0;
      for (const format of ["Text", "JSON"] as const) {
        const groups = functionsOf(id)
          .filter((f) => (f.logFormat === "JSON") === (format === "JSON"))
          .map((f) => f.logGroup);
        if (groups.length === 0) continue;
        // A function that never ran has no group: dropped by name on both sides, the rest still read.
        groups.push("/aws/lambda/never-ran");
        const query = reportBinsQuery(format, seconds(300));
        const through = await monitoring.logs.runInsights(query, groups, window, {
          timeoutMs: 30_000,
          sourceAccount: id,
        });
        const own = await sideOf(id).logs.runInsights(query, groups, window, { timeoutMs: 30_000 });
        expect(through.missingGroups).toEqual(["/aws/lambda/never-ran"]);
        expect(own.missingGroups).toEqual(["/aws/lambda/never-ran"]);
        // Insights names a row's group `<owning account>:<group>`: the rows are the source's.
        for (const row of through.rows) expect(row["@log"]?.startsWith(`${id}:`)).toBe(true);
        const throughBins = sortBins(through.rows.map((r) => readReportBin(r, format)));
        const ownBins = sortBins(own.rows.map((r) => readReportBin(r, format)));
        expect(throughBins).toEqual(ownBins);
        reports += ownBins.reduce((n, b) => n + b.invocations, 0);
      }
      expect(reports).toBeGreaterThan(0);
    }
  });

  it("reads one source's log events by its group ARN, equal to the source's own page", async () => {
    for (const id of SOURCES) {
      const [fn] = functionsOf(id);
      const input = {
        logGroup: fn?.logGroup ?? "",
        from: epochMs(TEST_NOW - 5 * MINUTE),
        to: window.end,
        limit: 50,
      };
      sb.resetStats();
      const through = await monitoring.events.filterLogEvents({ ...input, sourceAccount: id });
      expect(sb.statsByAccount()[MONITORING]?.["logs.FilterLogEvents"]).toBe(1);
      const own = await sideOf(id).events.filterLogEvents(input);
      expect(own.events.length).toBeGreaterThan(0);
      expect(through.events).toEqual(own.events);

      const paged = await monitoring.logs.filterLogEvents(
        input.logGroup,
        { start: input.from, end: input.to },
        { sourceAccount: id, maxEvents: 200 },
      );
      const ownPaged = await sideOf(id).logs.filterLogEvents(
        input.logGroup,
        { start: input.from, end: input.to },
        {
          maxEvents: 200,
        },
      );
      expect(paged).toEqual(ownPaged);
    }
  });

  it("gets no other account's numbers outside a monitoring account: the query says Forbidden", async () => {
    const [reader, other] = SOURCES;
    const statuses = new Map<string, string>();
    const out = await sideOf(reader).cloudwatch.getMetricData(metricQueries(other, "", other), window, {
      onStatus: (key, status) => statuses.set(key, status),
    });
    expect(statuses.size).toBe(out.size);
    expect(new Set(statuses.values())).toEqual(new Set(["Forbidden"]));
    expect([...out.values()].every((s) => s.values.length === 0)).toBe(true);
  });

  it("refuses a malformed source account before any request, naming it", async () => {
    sb.resetStats();
    const bad = metricQueries(SOURCES[0], "", "22222222222");
    const err = await monitoring.cloudwatch.getMetricData(bad, window).catch((e: unknown) => e);
    expect(isFleetscopeError(err) && err.code === "InvalidInput").toBe(true);
    expect(String((err as Error).message)).toContain('"22222222222"');
    const logsErr = await monitoring.logs
      .runInsights(reportBinsQuery("Text", seconds(300)), ["/aws/lambda/x"], window, {
        timeoutMs: 1000,
        sourceAccount: "acct-2",
      })
      .catch((e: unknown) => e);
    expect(isFleetscopeError(logsErr) && logsErr.code === "InvalidInput").toBe(true);
    expect(sb.stats()["monitoring.GetMetricData"] ?? 0).toBe(0);
    expect(sb.stats()["logs.StartQuery"] ?? 0).toBe(0);
  });
});
