/**
 * X-Ray in a cross-account observability monitoring account: trace summaries, BatchGetTraces and the service
 * graph also cover the linked source accounts' traces, each rendered by its own account; other accounts see only
 * their own.
 */
import { describe, expect, it } from "vitest";
import type { AccountDirectory, SandboxContext, SandboxRequest } from "../../src/http/types";
import { handleXRay } from "../../src/xray/handler";
import { context, MINUTE, NOW } from "../support/logs-fixtures";
import { invocation, simFunction } from "./xray-fixtures";

const MONITORING = "111111111111";
const SOURCE = "222222222222";
const OTHER = "333333333333";
const startS = Math.floor((NOW - 5 * MINUTE) / 1000);
const traceId = (n: number) => `1-${startS.toString(16)}-${n.toString(16).padStart(24, "0")}`;

/** Each account has one traced function with one sampled trace, its id distinct per account. */
function accounts(): Record<string, SandboxContext> {
  const make = (id: string, name: string, n: number): SandboxContext => {
    const fn = simFunction(name);
    const c = context([fn], {
      [name]: [invocation({ functionName: name, startMs: startS * 1000 + 100, traceId: traceId(n) })],
    });
    return { ...c, account: { ...c.account, accountId: id } };
  };
  const ctxs: Record<string, SandboxContext> = {
    [MONITORING]: make(MONITORING, "mon-api", 1),
    [SOURCE]: make(SOURCE, "source-api", 2),
    [OTHER]: make(OTHER, "other-api", 3),
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

function request(path: string, body: unknown): SandboxRequest {
  return {
    method: "POST",
    path,
    query: new URLSearchParams(),
    headers: { "content-type": "application/json" },
    body: Buffer.from(JSON.stringify(body)),
    region: "us-east-1",
    service: "xray",
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read loosely in tests
async function call(c: SandboxContext, path: string, body: unknown): Promise<any> {
  const res = await handleXRay(request(path, body), c);
  expect(res.status, String(res.body)).toBe(200);
  return JSON.parse(String(res.body));
}

const window = { StartTime: startS - 60, EndTime: NOW / 1000 };
const summaryIds = async (c: SandboxContext) =>
  ((await call(c, "/TraceSummaries", window)).TraceSummaries as { Id: string }[]).map((t) => t.Id).sort();

describe("X-Ray across linked accounts", () => {
  it("summarises the monitoring account's and its linked sources' traces, and only its own elsewhere", async () => {
    expect(await summaryIds(at(MONITORING))).toEqual([traceId(1), traceId(2)]);
    expect(await summaryIds(at(SOURCE))).toEqual([traceId(2)]);
    expect(await summaryIds(at(OTHER))).toEqual([traceId(3)]);
  });

  it("gives the same summary and trace documents in the monitoring account as in the source", async () => {
    const cross = await call(at(MONITORING), "/TraceSummaries", {
      ...window,
      FilterExpression: 'service("source-api")',
    });
    const self = await call(at(SOURCE), "/TraceSummaries", window);
    expect(cross.TraceSummaries).toEqual(self.TraceSummaries);
    const crossTrace = await call(at(MONITORING), "/Traces", { TraceIds: [traceId(2)] });
    const selfTrace = await call(at(SOURCE), "/Traces", { TraceIds: [traceId(2)] });
    expect(crossTrace.Traces).toHaveLength(1);
    expect(crossTrace).toEqual(selfTrace);
    expect(JSON.stringify(crossTrace.Traces)).toContain(
      `arn:aws:lambda:us-east-1:${SOURCE}:function:source-api`,
    );
  });

  it("leaves other accounts' traces unprocessed", async () => {
    const fromMonitoring = await call(at(MONITORING), "/Traces", { TraceIds: [traceId(3)] });
    expect(fromMonitoring).toEqual({ Traces: [], UnprocessedTraceIds: [traceId(3)] });
    const fromSource = await call(at(SOURCE), "/Traces", { TraceIds: [traceId(1), traceId(2)] });
    expect(fromSource.Traces.map((t: { Id: string }) => t.Id)).toEqual([traceId(2)]);
    expect(fromSource.UnprocessedTraceIds).toEqual([traceId(1)]);
  });

  it("draws the linked sources' services in the monitoring account's service graph", async () => {
    const names = async (c: SandboxContext) =>
      new Set(((await call(c, "/ServiceGraph", window)).Services as { Name: string }[]).map((s) => s.Name));
    const mon = await names(at(MONITORING));
    expect(mon.has("source-api") && mon.has("mon-api")).toBe(true);
    expect(mon.has("other-api")).toBe(false);
    expect((await names(at(SOURCE))).has("mon-api")).toBe(false);
  });
});
