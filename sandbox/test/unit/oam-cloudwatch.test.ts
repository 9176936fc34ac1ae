/**
 * CloudWatch cross-account observability in the handler: a monitoring account reads a linked source's metrics
 * with MetricDataQuery.AccountId and lists them with IncludeLinkedAccounts; other accounts are refused.
 */
import { describe, expect, it } from "vitest";
import { handleCloudWatch } from "../../src/cloudwatch/handler";
import { readableContext, readableContexts } from "../../src/cloudwatch/oam";
import type { AccountDirectory, SandboxContext } from "../../src/http/types";
import type { MinuteRecord } from "../../src/sim/types";
import { MIN, NOW, account, context, fn, inv, minute, request, sec } from "../support/cloudwatch-fixture";

const MONITORING = "111111111111";
const SOURCE = "222222222222";
const OTHER = "333333333333";
const t10 = NOW - 10 * MIN;
const t5 = NOW - 5 * MIN;

/** Three accounts with different traffic on a function of the same name; MONITORING is linked to SOURCE only. */
function accounts(): Record<string, SandboxContext> {
  const make = (id: string, name: string, counts: [number, number]): SandboxContext => {
    const functions = [fn("api", { aliases: [] }), fn(name, { aliases: [] })];
    const records = new Map<string, MinuteRecord[]>([
      [
        "api",
        [
          minute(
            t10,
            Array.from({ length: counts[0] }, (_, i) => inv("api", t10 + i * 1000, 10 + i)),
          ),
          minute(
            t5,
            Array.from({ length: counts[1] }, (_, i) => inv("api", t5 + i * 1000, 50 + i)),
          ),
        ],
      ],
    ]);
    const base = context(functions, records);
    return { ...base, account: { ...account(functions), accountId: id } };
  };
  const ctxs: Record<string, SandboxContext> = {
    [MONITORING]: make(MONITORING, "mon-only", [1, 1]),
    [SOURCE]: make(SOURCE, "source-only", [4, 2]),
    [OTHER]: make(OTHER, "other-only", [7, 3]),
  };
  const directory: AccountDirectory = {
    management: MONITORING,
    ids: () => Object.keys(ctxs),
    get: (id) => ctxs[id],
    linkedSources: (id) => (id === MONITORING ? [SOURCE] : []),
    organization: true,
  };
  for (const c of Object.values(ctxs)) c.directory = directory;
  return ctxs;
}

const ctxs = accounts();
const at = (id: string) => ctxs[id] as SandboxContext;

interface Result {
  Id: string;
  Timestamps: number[];
  Values: number[];
  StatusCode: string;
  Messages: { Code: string; Value: string }[];
}

async function call(c: SandboxContext, target: string, body: unknown) {
  const res = await handleCloudWatch(request(target, body), c);
  return { status: res.status, body: JSON.parse(String(res.body)) as Record<string, unknown> };
}

const invocations = (id: string, accountId?: string) => ({
  Id: id,
  ...(accountId ? { AccountId: accountId } : {}),
  MetricStat: {
    Metric: {
      Namespace: "AWS/Lambda",
      MetricName: "Invocations",
      Dimensions: [{ Name: "FunctionName", Value: "api" }],
    },
    Period: 60,
    Stat: "Sum",
  },
});

async function gmd(c: SandboxContext, queries: unknown[]) {
  const { status, body } = await call(c, "GetMetricData", {
    MetricDataQueries: queries,
    StartTime: sec(NOW - 15 * MIN),
    EndTime: sec(NOW),
    ScanBy: "TimestampAscending",
  });
  expect(status).toBe(200);
  const results = body.MetricDataResults as Result[];
  return (id: string) => results.find((r) => r.Id === id) as Result;
}

describe("oam.ts: which accounts a caller may read", () => {
  it("gives a monitoring account itself and its linked sources, and every other account only itself", () => {
    expect(readableContexts(at(MONITORING)).map((c) => c.account.accountId)).toEqual([MONITORING, SOURCE]);
    expect(readableContext(at(MONITORING), SOURCE)).toBe(at(SOURCE));
    expect(readableContext(at(MONITORING), OTHER)).toBeNull();
    expect(readableContexts(at(SOURCE)).map((c) => c.account.accountId)).toEqual([SOURCE]);
    expect(readableContext(at(SOURCE), MONITORING)).toBeNull();
  });

  it("treats a context without a directory (single-account sandbox) as reading only itself", () => {
    const { directory: _d, ...alone } = at(SOURCE);
    expect(readableContexts(alone).map((c) => c.account.accountId)).toEqual([SOURCE]);
    expect(readableContext(alone, MONITORING)).toBeNull();
  });
});

describe("GetMetricData with AccountId", () => {
  it("reads a linked source's metric exactly as the source reads it for itself", async () => {
    const cross = await gmd(at(MONITORING), [invocations("src", SOURCE), invocations("own")]);
    const self = await gmd(at(SOURCE), [invocations("own")]);
    expect(cross("src").Values).toEqual([4, 2]);
    expect(cross("src")).toMatchObject({
      StatusCode: "Complete",
      Timestamps: self("own").Timestamps,
      Values: self("own").Values,
    });
    expect(cross("own").Values).toEqual([1, 1]);
  });

  it("reads the caller's own metrics when AccountId is the caller's id", async () => {
    const r = await gmd(at(MONITORING), [invocations("a", MONITORING), invocations("b")]);
    expect(r("a").Values).toEqual(r("b").Values);
  });

  it("answers an unlinked account's query, and expressions over it, Forbidden with no data", async () => {
    const r = await gmd(at(MONITORING), [
      invocations("other", OTHER),
      invocations("src", SOURCE),
      { Id: "sum", Expression: "other + src" },
      { Id: "twice", Expression: "src * 2" },
    ]);
    expect(r("other")).toMatchObject({ StatusCode: "Forbidden", Timestamps: [], Values: [] });
    expect(r("other").Messages[0]?.Value).toContain(OTHER);
    expect(r("sum")).toMatchObject({ StatusCode: "Forbidden", Values: [] });
    expect(r("twice")).toMatchObject({ StatusCode: "Complete", Values: [8, 4] });
  });

  it("refuses every other account to a source account (not a monitoring account)", async () => {
    const r = await gmd(at(SOURCE), [invocations("mon", MONITORING), invocations("own", SOURCE)]);
    expect(r("mon")).toMatchObject({ StatusCode: "Forbidden", Values: [] });
    expect(r("own").Values).toEqual([4, 2]);
  });
});

describe("ListMetrics across linked accounts", () => {
  const list = async (c: SandboxContext, extra: Record<string, unknown>) => {
    const { status, body } = await call(c, "ListMetrics", {
      Namespace: "AWS/Lambda",
      MetricName: "Invocations",
      ...extra,
    });
    return {
      status,
      body: body as {
        Metrics?: { Dimensions: { Value: string }[] }[];
        OwningAccounts?: string[];
        message?: string;
      },
    };
  };
  const fnNames = (b: { Metrics?: { Dimensions: { Value: string }[] }[] }) =>
    (b.Metrics ?? []).map((m) => m.Dimensions[0]?.Value ?? "(region)");

  it("lists the linked source's metrics with OwningAccounts parallel to Metrics", async () => {
    const { body } = await list(at(MONITORING), { IncludeLinkedAccounts: true });
    expect(body.OwningAccounts).toHaveLength(body.Metrics?.length ?? -1);
    const pairs = fnNames(body).map((n, i) => `${body.OwningAccounts?.[i]}/${n}`);
    expect(pairs).toEqual(
      expect.arrayContaining([`${MONITORING}/api`, `${SOURCE}/api`, `${SOURCE}/source-only`]),
    );
    expect(pairs.some((p) => p.startsWith(OTHER))).toBe(false);
    const own = await list(at(SOURCE), {});
    expect(pairs.filter((p) => p.startsWith(SOURCE)).map((p) => p.slice(13))).toEqual(fnNames(own.body));
  });

  it("keeps one account's metrics with OwningAccount", async () => {
    const { body } = await list(at(MONITORING), { IncludeLinkedAccounts: true, OwningAccount: SOURCE });
    expect(new Set(body.OwningAccounts)).toEqual(new Set([SOURCE]));
    expect(fnNames(body)).toContain("source-only");
    const unlinked = await list(at(MONITORING), { IncludeLinkedAccounts: true, OwningAccount: OTHER });
    expect(unlinked.body.Metrics).toEqual([]);
  });

  it("lists only the caller's own metrics without IncludeLinkedAccounts, or outside a monitoring account", async () => {
    const plain = await list(at(MONITORING), {});
    expect(plain.body.OwningAccounts).toBeUndefined();
    expect(fnNames(plain.body)).not.toContain("source-only");
    const src = await list(at(SOURCE), { IncludeLinkedAccounts: true });
    expect(new Set(src.body.OwningAccounts)).toEqual(new Set([SOURCE]));
  });

  it("refuses OwningAccount without IncludeLinkedAccounts", async () => {
    const { status, body } = await list(at(MONITORING), { OwningAccount: SOURCE });
    expect(status).toBe(400);
    expect(body.message).toContain("IncludeLinkedAccounts");
  });
});
