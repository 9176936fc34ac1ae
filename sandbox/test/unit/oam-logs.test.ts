/**
 * CloudWatch Logs in a cross-account observability monitoring account: linked sources' log groups listed with
 * includeLinkedAccounts, read by ARN (FilterLogEvents, StartQuery), refused for unlinked accounts.
 */
import { describe, expect, it } from "vitest";
import { handleLogs } from "../../src/logs/handler";
import type { AccountDirectory, SandboxContext } from "../../src/http/types";
import { context, inv, MINUTE, NOW, request, simFn } from "../support/logs-fixtures";

const MONITORING = "111111111111";
const SOURCE = "222222222222";
const OTHER = "333333333333";
const T0 = NOW - 30 * MINUTE;

/** Each account has /aws/lambda/alpha with its own number of invocations, plus a group only it has. */
function accounts(): Record<string, SandboxContext> {
  const make = (id: string, only: string, n: number): SandboxContext => {
    const fns = [
      simFn({ name: "alpha", logGroup: "/aws/lambda/alpha" }),
      simFn({ name: only, logGroup: `/aws/lambda/${only}` }),
    ];
    const alpha = Array.from({ length: n }, (_, k) =>
      inv({ functionName: "alpha", startMs: T0 + k * MINUTE + 500, requestId: `${id}-${k}`.padEnd(36, "0") }),
    );
    const c = context(fns, { alpha, [only]: [inv({ functionName: only, startMs: T0 })] });
    return { ...c, account: { ...c.account, accountId: id } };
  };
  const ctxs: Record<string, SandboxContext> = {
    [MONITORING]: make(MONITORING, "mon-only", 2),
    [SOURCE]: make(SOURCE, "source-only", 5),
    [OTHER]: make(OTHER, "other-only", 9),
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
const arn = (account: string, name: string) => `arn:aws:logs:us-east-1:${account}:log-group:${name}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read loosely in tests
type Json = any;

async function call(c: SandboxContext, op: string, body: unknown): Promise<{ status: number; json: Json }> {
  const res = await handleLogs(request(op, body), c);
  return { status: res.status, json: JSON.parse(String(res.body)) };
}

async function query(c: SandboxContext, ids: Record<string, unknown>, queryString: string): Promise<Json> {
  const start = await call(c, "StartQuery", {
    ...ids,
    startTime: Math.floor(T0 / 1000),
    endTime: NOW / 1000,
    queryString,
  });
  expect(start.status, JSON.stringify(start.json)).toBe(200);
  for (let polls = 0; polls < 200; polls++) {
    const r = await call(c, "GetQueryResults", { queryId: start.json.queryId });
    if (r.json.status === "Complete") return r.json.results;
    await new Promise((done) => setTimeout(done, 5));
  }
  throw new Error("query did not complete");
}

const REPORTS_BY_LOG = 'filter @type = "REPORT" | stats count(*) as n by @log';
const rows = (results: Json): Record<string, string> =>
  Object.fromEntries(
    results.map((row: { field: string; value: string }[]) => [
      row.find((f) => f.field === "@log")?.value,
      row.find((f) => f.field === "n")?.value,
    ]),
  );

describe("DescribeLogGroups across linked accounts", () => {
  const groups = async (c: SandboxContext, body: Record<string, unknown>) => {
    const r = await call(c, "DescribeLogGroups", body);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return (r.json.logGroups as { logGroupName: string; logGroupArn: string }[]).map((g) => g.logGroupArn);
  };

  it("lists the linked sources' groups with their ARNs when includeLinkedAccounts is true", async () => {
    const all = await groups(at(MONITORING), { includeLinkedAccounts: true });
    expect(all).toEqual([
      arn(MONITORING, "/aws/lambda/alpha"),
      arn(SOURCE, "/aws/lambda/alpha"),
      arn(MONITORING, "/aws/lambda/mon-only"),
      arn(SOURCE, "/aws/lambda/source-only"),
    ]);
    expect(await groups(at(MONITORING), {})).toEqual([
      arn(MONITORING, "/aws/lambda/alpha"),
      arn(MONITORING, "/aws/lambda/mon-only"),
    ]);
  });

  it("keeps the accounts in accountIdentifiers, and pages through (name, account) exactly once", async () => {
    expect(
      await groups(at(MONITORING), { includeLinkedAccounts: true, accountIdentifiers: [SOURCE] }),
    ).toEqual([arn(SOURCE, "/aws/lambda/alpha"), arn(SOURCE, "/aws/lambda/source-only")]);
    const paged: string[] = [];
    let nextToken: string | undefined;
    do {
      const r = await call(at(MONITORING), "DescribeLogGroups", {
        includeLinkedAccounts: true,
        limit: 1,
        nextToken,
      });
      paged.push(...r.json.logGroups.map((g: { logGroupArn: string }) => g.logGroupArn));
      nextToken = r.json.nextToken;
    } while (nextToken);
    expect(paged).toEqual(await groups(at(MONITORING), { includeLinkedAccounts: true }));
  });

  it("finds a linked source's group by ARN, and nothing for an unlinked account's ARN", async () => {
    expect(await groups(at(MONITORING), { logGroupIdentifiers: [arn(SOURCE, "/aws/lambda/alpha")] })).toEqual(
      [arn(SOURCE, "/aws/lambda/alpha")],
    );
    expect(await groups(at(MONITORING), { logGroupIdentifiers: [arn(OTHER, "/aws/lambda/alpha")] })).toEqual(
      [],
    );
  });

  it("lists only its own groups outside a monitoring account, and refuses accountIdentifiers alone", async () => {
    expect(await groups(at(SOURCE), { includeLinkedAccounts: true })).toEqual([
      arn(SOURCE, "/aws/lambda/alpha"),
      arn(SOURCE, "/aws/lambda/source-only"),
    ]);
    const bad = await call(at(MONITORING), "DescribeLogGroups", { accountIdentifiers: [SOURCE] });
    expect(bad.json.__type).toBe("InvalidParameterException");
    const malformed = await call(at(MONITORING), "DescribeLogGroups", {
      includeLinkedAccounts: true,
      accountIdentifiers: ["12345"],
    });
    expect(malformed.json.__type).toBe("InvalidParameterException");
  });
});

describe("FilterLogEvents with a source account's log group ARN", () => {
  const messages = async (c: SandboxContext, body: Record<string, unknown>) => {
    const r = await call(c, "FilterLogEvents", { ...body, filterPattern: "REPORT" });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return (r.json.events as { message: string; eventId: string }[]).map((e) => `${e.eventId} ${e.message}`);
  };

  it("reads exactly what the source reads for itself", async () => {
    const cross = await messages(at(MONITORING), {
      logGroupIdentifier: `${arn(SOURCE, "/aws/lambda/alpha")}:*`,
    });
    const self = await messages(at(SOURCE), { logGroupName: "/aws/lambda/alpha" });
    expect(cross).toHaveLength(5);
    expect(cross).toEqual(self);
  });

  it("answers ResourceNotFoundException for an unlinked account, and to a caller that is not a monitoring account", async () => {
    const unlinked = await call(at(MONITORING), "FilterLogEvents", {
      logGroupIdentifier: arn(OTHER, "/aws/lambda/alpha"),
    });
    expect(unlinked.json.__type).toBe("ResourceNotFoundException");
    const notMonitoring = await call(at(SOURCE), "FilterLogEvents", {
      logGroupIdentifier: arn(MONITORING, "/aws/lambda/alpha"),
    });
    expect(notMonitoring.json.__type).toBe("ResourceNotFoundException");
  });
});

describe("StartQuery over linked accounts' log groups", () => {
  it("names each group's account in @log and counts what each account counts for itself", async () => {
    const cross = rows(
      await query(
        at(MONITORING),
        { logGroupIdentifiers: [arn(SOURCE, "/aws/lambda/alpha"), "/aws/lambda/alpha"] },
        REPORTS_BY_LOG,
      ),
    );
    const source = rows(await query(at(SOURCE), { logGroupNames: ["/aws/lambda/alpha"] }, REPORTS_BY_LOG));
    const own = rows(await query(at(MONITORING), { logGroupNames: ["/aws/lambda/alpha"] }, REPORTS_BY_LOG));
    expect(source).toEqual({ [`${SOURCE}:/aws/lambda/alpha`]: "5" });
    expect(cross).toEqual({ ...source, ...own });
    expect(Object.keys(cross)).toHaveLength(2);
  });

  it("refuses an unlinked account's group, and ARNs given as names", async () => {
    const unlinked = await call(at(MONITORING), "StartQuery", {
      logGroupIdentifiers: [arn(OTHER, "/aws/lambda/alpha")],
      startTime: 0,
      endTime: NOW / 1000,
      queryString: "fields @message",
    });
    expect(unlinked.json.__type).toBe("ResourceNotFoundException");
    const asName = await call(at(MONITORING), "StartQuery", {
      logGroupNames: [arn(SOURCE, "/aws/lambda/alpha")],
      startTime: 0,
      endTime: NOW / 1000,
      queryString: "fields @message",
    });
    expect(asName.json.__type).toBe("InvalidParameterException");
    expect(asName.json.message).toContain("logGroupIdentifiers");
  });
});
