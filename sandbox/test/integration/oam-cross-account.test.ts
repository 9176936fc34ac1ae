/**
 * CloudWatch cross-account observability through the SDKs: a three-account sandbox whose first account is a
 * monitoring account linked to the other two. Every cross-account read is compared with what the source account
 * reads for itself (two reads that must agree), and the forms AWS refuses are refused.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
  type MetricDataQuery,
  type MetricDataResult,
} from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  type ResultField,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  BatchGetTracesCommand,
  GetTraceSummariesCommand,
  XRayClient,
  type TraceSummary,
} from "@aws-sdk/client-xray";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/index";
import { startTestSandbox, TEST_CREDENTIALS, TEST_NOW } from "../support/sandbox";

const REGION = "us-east-1";
const MONITORING = "111111111111";
const SOURCE_1 = "222222222222";
const SOURCE_2 = "333333333333";
const NOT_IN_SANDBOX = "444444444444";
const HOUR = 3_600_000;
/** Long-term keys of the source accounts (the sandbox's `accessKeys` option); any other key is the monitoring account. */
const KEYS: Record<string, string> = { AKIDSOURCEONE0000001: SOURCE_1, AKIDSOURCETWO0000002: SOURCE_2 };

let sb: Sandbox;
const clients: { destroy(): void }[] = [];

function credentialsOf(accountId: string) {
  const key = Object.keys(KEYS).find((k) => KEYS[k] === accountId);
  return key ? { accessKeyId: key, secretAccessKey: "test" } : TEST_CREDENTIALS;
}

interface ClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
}

function client<T extends { destroy(): void }>(Ctor: new (c: ClientConfig) => T, accountId: string): T {
  const c = new Ctor({
    endpoint: sb.url,
    region: REGION,
    credentials: credentialsOf(accountId),
    maxAttempts: 1,
  });
  clients.push(c);
  return c;
}

const cw = (accountId: string) => client(CloudWatchClient, accountId);
const logs = (accountId: string) => client(CloudWatchLogsClient, accountId);
const xray = (accountId: string) => client(XRayClient, accountId);

beforeAll(async () => {
  sb = await startTestSandbox({
    regions: [REGION],
    functionsPerRegion: 8,
    accounts: [
      { id: MONITORING, name: "management" },
      { id: SOURCE_1, name: "member-1" },
      { id: SOURCE_2, name: "member-2" },
    ],
    monitoring: { accountId: MONITORING, sourceAccountIds: [SOURCE_1, SOURCE_2] },
    accessKeys: KEYS,
  });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await sb.close();
});

/** The names of an account's functions in REGION with traffic, sorted. */
function busyFunctions(accountId: string): string[] {
  const fns = sb.ctxFor(accountId)?.account.regions.get(REGION)?.functions.values() ?? [];
  return [...fns]
    .filter((f) => f.traffic.peakPerMinute > 0 && f.createdMs < TEST_NOW - HOUR)
    .map((f) => f.name)
    .sort();
}

describe("the fixture", () => {
  it("starts three accounts with busy functions of their own", () => {
    for (const id of [MONITORING, SOURCE_1, SOURCE_2]) expect(busyFunctions(id).length).toBeGreaterThan(0);
  });
});

describe("CloudWatch GetMetricData with AccountId", () => {
  const invocations = (id: string, fn: string, accountId?: string): MetricDataQuery => ({
    Id: id,
    ...(accountId ? { AccountId: accountId } : {}),
    MetricStat: {
      Metric: {
        Namespace: "AWS/Lambda",
        MetricName: "Invocations",
        Dimensions: [{ Name: "FunctionName", Value: fn }],
      },
      Period: 300,
      Stat: "Sum",
    },
  });

  async function read(accountId: string, queries: MetricDataQuery[]): Promise<Map<string, MetricDataResult>> {
    const out = await cw(accountId).send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: new Date(TEST_NOW - HOUR),
        EndTime: new Date(TEST_NOW),
        ScanBy: "TimestampAscending",
      }),
    );
    expect(out.NextToken).toBeUndefined();
    return new Map((out.MetricDataResults ?? []).map((r) => [r.Id as string, r]));
  }

  it("reads each linked source's metrics exactly as the source reads them for itself", async () => {
    for (const source of [SOURCE_1, SOURCE_2]) {
      const fn = busyFunctions(source)[0] as string;
      const cross = (await read(MONITORING, [invocations("x", fn, source)])).get("x");
      const self = (await read(source, [invocations("x", fn)])).get("x");
      expect(cross?.StatusCode).toBe("Complete");
      expect(cross?.Values?.length).toBeGreaterThan(0);
      expect(cross?.Timestamps).toEqual(self?.Timestamps);
      expect(cross?.Values).toEqual(self?.Values);
    }
  });

  it("does not read the monitoring account's own series for a source's AccountId", async () => {
    const shared = busyFunctions(SOURCE_1).filter((n) => busyFunctions(MONITORING).includes(n));
    const fn = shared[0] ?? (busyFunctions(SOURCE_1)[0] as string);
    const r = await read(MONITORING, [invocations("src", fn, SOURCE_1), invocations("own", fn)]);
    expect(r.get("src")?.Values).not.toEqual(r.get("own")?.Values);
  });

  it("answers Forbidden, with no data, for an account that is not linked, and to a source account", async () => {
    const fn = busyFunctions(SOURCE_1)[0] as string;
    const r = await read(MONITORING, [
      invocations("none", fn, NOT_IN_SANDBOX),
      invocations("ok", fn, SOURCE_1),
    ]);
    expect(r.get("none")).toMatchObject({ StatusCode: "Forbidden", Values: [], Timestamps: [] });
    expect(r.get("ok")?.StatusCode).toBe("Complete");
    const fromSource = await read(SOURCE_1, [
      invocations("mon", busyFunctions(MONITORING)[0] as string, MONITORING),
      invocations("sibling", busyFunctions(SOURCE_2)[0] as string, SOURCE_2),
    ]);
    expect(fromSource.get("mon")).toMatchObject({ StatusCode: "Forbidden", Values: [] });
    expect(fromSource.get("sibling")).toMatchObject({ StatusCode: "Forbidden", Values: [] });
  });
});

describe("CloudWatch ListMetrics with IncludeLinkedAccounts", () => {
  const key = (m: { Dimensions?: { Name?: string; Value?: string }[] }) =>
    (m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(",");

  it("lists the linked sources' metrics with OwningAccounts, one per metric", async () => {
    const out = await cw(MONITORING).send(
      new ListMetricsCommand({
        Namespace: "AWS/Lambda",
        MetricName: "Invocations",
        IncludeLinkedAccounts: true,
      }),
    );
    expect(out.NextToken).toBeUndefined();
    expect(out.OwningAccounts).toHaveLength(out.Metrics?.length ?? -1);
    expect(new Set(out.OwningAccounts)).toEqual(new Set([MONITORING, SOURCE_1, SOURCE_2]));
    for (const source of [SOURCE_1, SOURCE_2]) {
      const own = await cw(source).send(
        new ListMetricsCommand({ Namespace: "AWS/Lambda", MetricName: "Invocations" }),
      );
      const listed = (out.Metrics ?? []).filter((_, i) => out.OwningAccounts?.[i] === source).map(key);
      expect(listed).toEqual((own.Metrics ?? []).map(key));
    }
  });

  it("keeps one source with OwningAccount, and only the caller's own outside a monitoring account", async () => {
    const one = await cw(MONITORING).send(
      new ListMetricsCommand({
        MetricName: "Invocations",
        IncludeLinkedAccounts: true,
        OwningAccount: SOURCE_2,
      }),
    );
    expect(new Set(one.OwningAccounts)).toEqual(new Set([SOURCE_2]));
    const fromSource = await cw(SOURCE_1).send(
      new ListMetricsCommand({ MetricName: "Invocations", IncludeLinkedAccounts: true }),
    );
    expect(new Set(fromSource.OwningAccounts)).toEqual(new Set([SOURCE_1]));
  });
});

describe("CloudWatch Logs across linked accounts", () => {
  const groupArn = (account: string, name: string) => `arn:aws:logs:${REGION}:${account}:log-group:${name}`;
  const firstGroup = (account: string) => `/aws/lambda/${busyFunctions(account)[0]}`;

  async function runQuery(
    accountId: string,
    input: { logGroupIdentifiers?: string[]; logGroupNames?: string[] },
  ) {
    const client = logs(accountId);
    const { queryId } = await client.send(
      new StartQueryCommand({
        ...input,
        startTime: Math.floor((TEST_NOW - HOUR) / 1000),
        endTime: Math.floor(TEST_NOW / 1000),
        queryString: 'filter @type = "REPORT" | stats count(*) as n, sum(@billedDuration) as billed by @log',
      }),
    );
    for (let polls = 0; polls < 2000; polls++) {
      const r = await client.send(new GetQueryResultsCommand({ queryId }));
      if (r.status === "Complete") {
        const field = (row: ResultField[], f: string) => row.find((x) => x.field === f)?.value;
        return Object.fromEntries(
          (r.results ?? []).map((row) => [field(row, "@log"), `${field(row, "n")}/${field(row, "billed")}`]),
        );
      }
      await new Promise((done) => setTimeout(done, 20));
    }
    throw new Error("query did not complete");
  }

  it("lists the linked sources' log groups with their ARNs, as each source lists its own", async () => {
    const all = await logs(MONITORING).send(new DescribeLogGroupsCommand({ includeLinkedAccounts: true }));
    const arns = (all.logGroups ?? []).map((g) => g.logGroupArn ?? "");
    for (const source of [SOURCE_1, SOURCE_2]) {
      const picked = await logs(MONITORING).send(
        new DescribeLogGroupsCommand({ includeLinkedAccounts: true, accountIdentifiers: [source] }),
      );
      const own = await logs(source).send(new DescribeLogGroupsCommand({}));
      expect((picked.logGroups ?? []).map((g) => g.logGroupArn)).toEqual(
        (own.logGroups ?? []).map((g) => groupArn(source, g.logGroupName ?? "")),
      );
      expect(arns).toEqual(expect.arrayContaining((own.logGroups ?? []).map((g) => g.logGroupArn)));
    }
    const fromSource = await logs(SOURCE_1).send(
      new DescribeLogGroupsCommand({ includeLinkedAccounts: true }),
    );
    expect(new Set((fromSource.logGroups ?? []).map((g) => g.logGroupArn?.split(":")[4]))).toEqual(
      new Set([SOURCE_1]),
    );
  });

  it("queries a source's group by ARN (with or without :*) and names its account in @log", async () => {
    const group = firstGroup(SOURCE_1);
    const cross = await runQuery(MONITORING, {
      logGroupIdentifiers: [groupArn(SOURCE_1, group), `${groupArn(SOURCE_2, firstGroup(SOURCE_2))}:*`],
    });
    const self1 = await runQuery(SOURCE_1, { logGroupNames: [group] });
    const self2 = await runQuery(SOURCE_2, { logGroupNames: [firstGroup(SOURCE_2)] });
    expect(Object.keys(self1)).toEqual([`${SOURCE_1}:${group}`]);
    expect(cross).toEqual({ ...self1, ...self2 });
  });

  it("filters a source's group by ARN exactly as the source does", async () => {
    const group = firstGroup(SOURCE_2);
    const window = {
      startTime: TEST_NOW - 10 * 60_000,
      endTime: TEST_NOW,
      filterPattern: "REPORT",
      limit: 200,
    };
    const cross = await logs(MONITORING).send(
      new FilterLogEventsCommand({ logGroupIdentifier: groupArn(SOURCE_2, group), ...window }),
    );
    const self = await logs(SOURCE_2).send(new FilterLogEventsCommand({ logGroupName: group, ...window }));
    expect(cross.events?.length).toBeGreaterThan(0);
    expect(cross.events?.map((e) => [e.eventId, e.message])).toEqual(
      self.events?.map((e) => [e.eventId, e.message]),
    );
  });

  it("refuses an unlinked account's group, and a source account reading the monitoring account's", async () => {
    const unlinked = groupArn(NOT_IN_SANDBOX, "/aws/lambda/anything");
    await expect(
      logs(MONITORING).send(
        new StartQueryCommand({
          logGroupIdentifiers: [unlinked],
          startTime: 0,
          endTime: 1,
          queryString: "fields @message",
        }),
      ),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    const monitoringGroup = groupArn(MONITORING, firstGroup(MONITORING));
    await expect(
      logs(SOURCE_1).send(new FilterLogEventsCommand({ logGroupIdentifier: monitoringGroup })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    await expect(
      logs(SOURCE_1).send(
        new StartQueryCommand({
          logGroupIdentifiers: [groupArn(SOURCE_2, firstGroup(SOURCE_2))],
          startTime: 0,
          endTime: 1,
          queryString: "fields @message",
        }),
      ),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });
});

describe("X-Ray traces across linked accounts", () => {
  const window = { StartTime: new Date(TEST_NOW - 5 * 60_000), EndTime: new Date(TEST_NOW) };

  async function summaries(accountId: string): Promise<TraceSummary[]> {
    const out: TraceSummary[] = [];
    let NextToken: string | undefined;
    do {
      const page = await xray(accountId).send(new GetTraceSummariesCommand({ ...window, NextToken }));
      out.push(...(page.TraceSummaries ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return out;
  }
  const ids = (s: TraceSummary[]) => s.map((t) => t.Id as string).sort();

  it("finds every linked source's traces in the monitoring account, as each source finds its own", async () => {
    const [mon, s1, s2] = await Promise.all([
      summaries(MONITORING),
      summaries(SOURCE_1),
      summaries(SOURCE_2),
    ]);
    expect(s1.length).toBeGreaterThan(0);
    expect(s2.length).toBeGreaterThan(0);
    const own = mon.filter((t) => !s1.some((x) => x.Id === t.Id) && !s2.some((x) => x.Id === t.Id));
    expect(ids(mon)).toEqual([...ids(own), ...ids(s1), ...ids(s2)].sort());
    expect(own.length).toBeGreaterThan(0);
    const s1ById = new Map(s1.map((t) => [t.Id, t]));
    for (const t of mon.filter((x) => s1ById.has(x.Id))) expect(t).toEqual(s1ById.get(t.Id));
  });

  it("returns a source's trace from BatchGetTraces in the monitoring account, and only its own to a source", async () => {
    const [s1, s2, mon] = await Promise.all([
      summaries(SOURCE_1),
      summaries(SOURCE_2),
      summaries(MONITORING),
    ]);
    const id = s1[0]?.Id as string;
    const cross = await xray(MONITORING).send(new BatchGetTracesCommand({ TraceIds: [id] }));
    const self = await xray(SOURCE_1).send(new BatchGetTracesCommand({ TraceIds: [id] }));
    expect(cross.Traces).toHaveLength(1);
    expect(cross.Traces).toEqual(self.Traces);
    expect(JSON.stringify(cross.Traces)).toContain(SOURCE_1);

    const sources = new Set([...ids(s1), ...ids(s2)]);
    const monitoringOnly = mon.find((t) => !sources.has(t.Id as string))?.Id as string;
    const refused = await xray(SOURCE_2).send(new BatchGetTracesCommand({ TraceIds: [monitoringOnly, id] }));
    expect(refused.Traces).toEqual([]);
    expect(refused.UnprocessedTraceIds?.sort()).toEqual([monitoringOnly, id].sort());
  });
});
