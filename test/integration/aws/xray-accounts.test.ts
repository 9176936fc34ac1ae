/**
 * Traces and requests by account, through the console's real trace use-cases and ports (lib/data/traces with
 * defaultTraceDeps: X-Ray, FilterLogEvents and Lambda clients per account) against a three-account sandbox over
 * HTTP. A member account's trace and request open with that account (its `fleetscope` role assumed with the
 * sandbox's STS), and not with the other member's. Read through the management account as an OAM monitoring
 * account, the member's trace opens for that member and is refused for the other member, although X-Ray there
 * answers with every linked source's traces.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import { isFleetscopeError } from "@/lib/core/errors";
import type { TraceSummary } from "@/lib/core/traces/types";
import { listTraces } from "@/lib/data/traces/list-traces";
import { findRequest, getRequestByTrace, type RequestView } from "@/lib/data/traces/request-view";
import { startSandbox, type Sandbox } from "@fleetscope/sandbox";

const REGION = "us-east-1";
const MANAGEMENT = "111111111111";
const MEMBERS = ["222222222222", "333333333333"] as const;
const HOUR = 3_600_000;

let sb: Sandbox;
const saved: Record<string, string | undefined> = {};

/** The account read through its `fleetscope` role, or (OAM) through the monitoring account's own credentials. */
const member = (id: string, telemetry: AccountTarget["telemetry"] = "direct"): AccountTarget => ({
  id: parseAccountId(id),
  name: null,
  source: "role",
  roleArn: `arn:aws:iam::${id}:role/fleetscope`,
  externalId: null,
  telemetry,
});

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isFleetscopeError(e)) return e;
    throw e;
  }
  throw new Error("expected the lookup to fail");
}

/** A trace of member 1 with a request behind it, listed through member 1's role. */
let trace: TraceSummary;
let byTrace: RequestView;

beforeAll(async () => {
  sb = await startSandbox({
    port: 0,
    seed: 41,
    regions: [REGION],
    functionsPerRegion: 6,
    accounts: [
      { id: MANAGEMENT, name: "management" },
      { id: MEMBERS[0], name: "member-1" },
      { id: MEMBERS[1], name: "member-2" },
    ],
    monitoring: { accountId: MANAGEMENT, sourceAccountIds: [...MEMBERS] },
  });
  // The env is read once per process (lib/config/env.ts): set it before the first client is built.
  const env = { AWS_ENDPOINT_URL: sb.url, FLEETSCOPE_REGIONS: REGION, FLEETSCOPE_AWS_MAX_ATTEMPTS: "2" };
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  const now = Date.now();
  const list = await listTraces({
    account: member(MEMBERS[0]),
    region: REGION,
    filter: {},
    // Traces a few minutes old: their requests have ended and their REPORT lines are written.
    from: now - HOUR,
    to: now - 3 * 60_000,
  });
  expect(list.account).toBe(MEMBERS[0]);
  const found = list.summaries.find((s) =>
    s.resourceArns.some((a) => a.includes(`:${MEMBERS[0]}:function:`)),
  );
  if (!found) throw new Error("member 1 listed no trace of its own functions in the last hour");
  trace = found;
  byTrace = await getRequestByTrace(trace.id, { account: member(MEMBERS[0]), region: REGION });
}, 120_000);

afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await sb?.close();
});

describe("a member account's trace", () => {
  it("lists only that account's traces", async () => {
    const now = Date.now();
    const list = await listTraces({
      account: member(MEMBERS[1]),
      region: REGION,
      filter: {},
      from: now - HOUR,
      to: now,
    });
    expect(list.summaries.length).toBeGreaterThan(0);
    expect(list.summaries.map((s) => s.id)).not.toContain(trace.id);
    for (const s of list.summaries)
      expect(s.resourceArns.every((a) => !a.includes(`:${MEMBERS[0]}:`))).toBe(true);
  });

  it("through the monitoring account (OAM), lists that account's traces and no other's", async () => {
    const now = Date.now();
    const list = await listTraces({
      account: member(MEMBERS[0], "monitoring-account"),
      region: REGION,
      filter: {},
      from: now - HOUR,
      to: now,
    });
    expect(list.summaries.length).toBeGreaterThan(0);
    for (const s of list.summaries)
      expect(s.resourceArns.some((a) => a.includes(`:${MEMBERS[0]}:function:`))).toBe(true);
  });

  it("opens with that account: its request, function and log lines", () => {
    expect(byTrace.account).toBe(MEMBERS[0]);
    expect(byTrace.trace.ok && byTrace.trace.value !== null).toBe(true);
    expect(byTrace.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(byTrace.functionName).not.toBeNull();
    const fn = sb.ctxFor(MEMBERS[0])?.account.regions.get(REGION)?.functions.get(byTrace.functionName!);
    expect(fn).toBeDefined();
    expect(
      byTrace.logs?.ok && byTrace.logs.value.lines.some((l) => l.text.includes(byTrace.requestId!)),
    ).toBe(true);
  });

  it("is not found with the other member's account", async () => {
    const e = await failure(getRequestByTrace(trace.id, { account: member(MEMBERS[1]), region: REGION }));
    expect(e.code).toBe("NotFound");
    expect(e.message).toContain(`account ${MEMBERS[1]}`);
  });

  it("through the monitoring account (OAM): opens for its own account, refused for the other member", async () => {
    const view = await getRequestByTrace(trace.id, {
      account: member(MEMBERS[0], "monitoring-account"),
      region: REGION,
    });
    expect(view.account).toBe(MEMBERS[0]);
    expect(view.requestId).toBe(byTrace.requestId);
    expect(view.logs?.ok).toBe(true);
    const e = await failure(
      getRequestByTrace(trace.id, { account: member(MEMBERS[1], "monitoring-account"), region: REGION }),
    );
    expect(e.code).toBe("NotFound");
  });
});

describe("a member account's request", () => {
  const window = () => ({ from: trace.start - HOUR / 2, to: Math.min(Date.now(), trace.start + HOUR / 2) });

  it("opens by request id with that account, with its trace", async () => {
    const view = await findRequest(byTrace.requestId!, {
      account: member(MEMBERS[0]),
      region: REGION,
      functionName: byTrace.functionName!,
      ...window(),
    });
    expect(view.account).toBe(MEMBERS[0]);
    expect(view.traceId).toBe(trace.id);
    expect(view.trace.ok && view.trace.value !== null).toBe(true);
  });

  it("is not found in the other member's log groups", async () => {
    const e = await failure(
      findRequest(byTrace.requestId!, { account: member(MEMBERS[1]), region: REGION, ...window() }),
    );
    expect(e.code).toBe("NotFound");
    expect(e.message).toContain(`account ${MEMBERS[1]}`);
  });
});
