/**
 * The per-account-region trace destination cache (lib/data/traces/destination.ts) and the X-Ray port's retrieval polling
 * (lib/aws/xray.ts) with a scripted client and an instant clock: statuses, pages, deadline and coded errors.
 */
import type { XRayClient } from "@aws-sdk/client-xray";
import { beforeEach, describe, expect, it } from "vitest";
import { createXRayPort, MAX_RETRIEVED_PAGES, type XRayPort } from "@/lib/aws/xray";
import { parseAccountId } from "@/lib/core/accounts";
import { FleetscopeError, isFleetscopeError } from "@/lib/core/errors";
import {
  clearTraceDestinations,
  DESTINATION_TTL_MS,
  describeDestination,
  indexedShare,
  traceDestination,
} from "@/lib/data/traces/destination";

const NOW = Date.UTC(2026, 10, 23, 12);
const ACCOUNT = parseAccountId("111111111111");
const OTHER = parseAccountId("222222222222");
const at = (region: string, account = ACCOUNT) => ({ account, region });

describe("traceDestination", () => {
  beforeEach(() => clearTraceDestinations());

  function port(answers: (() => Promise<{ destination: "XRay" | "CloudWatchLogs"; status: "ACTIVE" }>)[]) {
    let calls = 0;
    const p = {
      getTraceSegmentDestination: () => {
        const answer = answers[Math.min(calls, answers.length - 1)]!;
        calls++;
        return answer();
      },
    } as unknown as XRayPort;
    return { port: () => p, calls: () => calls };
  }

  it("asks once per region per 10 minutes and labels Transaction Search", async () => {
    const ts = port([async () => ({ destination: "CloudWatchLogs", status: "ACTIVE" })]);
    const first = await traceDestination(at("eu-west-1"), ts.port, NOW);
    expect(first.ok && first.value.label).toBe(
      "Transaction Search (spans in aws/spans, X-Ray indexes a share)",
    );
    await traceDestination(at("eu-west-1"), ts.port, NOW + DESTINATION_TTL_MS - 1);
    expect(ts.calls()).toBe(1);
    await traceDestination(at("eu-west-1"), ts.port, NOW + DESTINATION_TTL_MS);
    expect(ts.calls()).toBe(2);
    const other = port([async () => ({ destination: "XRay", status: "ACTIVE" })]);
    const x = await traceDestination(at("us-east-1"), other.port, NOW);
    expect(x.ok && x.value.label).toBe("X-Ray");
  });

  it("keeps each account's answer apart in the same region", async () => {
    const ts = port([async () => ({ destination: "CloudWatchLogs", status: "ACTIVE" })]);
    const xr = port([async () => ({ destination: "XRay", status: "ACTIVE" })]);
    await traceDestination(at("eu-west-1"), ts.port, NOW);
    const other = await traceDestination(at("eu-west-1", OTHER), xr.port, NOW);
    expect(other.ok && other.value).toMatchObject({ account: OTHER, region: "eu-west-1", label: "X-Ray" });
    const mine = await traceDestination(at("eu-west-1"), xr.port, NOW + 1);
    expect(mine.ok && mine.value.account).toBe(ACCOUNT);
    expect(mine.ok && mine.value.destination).toBe("CloudWatchLogs");
    expect([ts.calls(), xr.calls()]).toEqual([1, 1]);
  });

  it("does not cache a failure, and never guesses X-Ray for it", async () => {
    const flaky = port([
      async () => {
        throw new FleetscopeError("Throttled", "X-Ray GetTraceSegmentDestination: throttled");
      },
      async () => ({ destination: "XRay", status: "ACTIVE" }),
    ]);
    const failed = await traceDestination(at("us-east-1"), flaky.port, NOW);
    expect(failed).toEqual({
      ok: false,
      error: { code: "Throttled", message: "X-Ray GetTraceSegmentDestination: throttled" },
    });
    const again = await traceDestination(at("us-east-1"), flaky.port, NOW + 1);
    expect(again.ok).toBe(true);
    expect(flaky.calls()).toBe(2);
  });

  it("says when a change of destination is pending", () => {
    expect(describeDestination({ destination: "CloudWatchLogs", status: "PENDING" })).toMatch(
      /change pending/,
    );
  });
});

describe("indexedShare", () => {
  beforeEach(() => clearTraceDestinations());

  it("reads the Default rule's measured share, else its desired one, cached like the destination", async () => {
    let calls = 0;
    const answers = [
      [
        { name: "Other", actualPercent: 50, desiredPercent: 50 },
        { name: "Default", actualPercent: 0.8, desiredPercent: 1 },
      ],
      [{ name: "Default", actualPercent: null, desiredPercent: 5 }],
    ];
    const p = {
      getIndexingRules: async () => answers[Math.min(calls++, answers.length - 1)],
    } as unknown as XRayPort;
    const first = await indexedShare(at("eu-west-1"), () => p, NOW);
    expect(first.ok && first.value.percent).toBe(0.8);
    await indexedShare(at("eu-west-1"), () => p, NOW + DESTINATION_TTL_MS - 1);
    expect(calls).toBe(1);
    const later = await indexedShare(at("eu-west-1"), () => p, NOW + DESTINATION_TTL_MS);
    expect(later.ok && later.value.percent).toBe(5);
    expect(calls).toBe(2);
  });

  it("does not cache a failure, and keeps its code", async () => {
    let calls = 0;
    const p = {
      getIndexingRules: async () => {
        calls++;
        throw new FleetscopeError("AccessDenied", "X-Ray GetIndexingRules: not authorized");
      },
    } as unknown as XRayPort;
    const failed = await indexedShare(at("eu-west-1"), () => p, NOW);
    expect(!failed.ok && failed.error.code).toBe("AccessDenied");
    await indexedShare(at("eu-west-1"), () => p, NOW + 1);
    expect(calls).toBe(2);
  });
});

describe("listRetrievedTraces polling", () => {
  /** A client answering ListRetrievedTraces from a script; the clock advances only by the port's sleeps. */
  function scripted(script: Record<string, unknown>[]) {
    const sent: Record<string, unknown>[] = [];
    let t = 0;
    const client = {
      send: async (command: { input: Record<string, unknown> }) => {
        sent.push(command.input);
        return script[Math.min(sent.length - 1, script.length - 1)];
      },
    } as unknown as XRayClient;
    const ops: string[] = [];
    const port = createXRayPort(client, "eu-west-1", {
      onRequest: (op) => ops.push(op),
      clock: { now: () => t, sleep: async (ms) => void (t += ms) },
    });
    return { port, sent, ops, elapsed: () => t };
  }

  const span = (id: string) => ({ Id: id, Document: `{"spanId":"${id}"}` });

  it("polls RUNNING / SCHEDULED after a pause, then reads every page", async () => {
    const s = scripted([
      { RetrievalStatus: "SCHEDULED" },
      { RetrievalStatus: "RUNNING" },
      {
        RetrievalStatus: "COMPLETE",
        Traces: [{ Id: "1-a", Duration: 0.25, Spans: [span("s1")] }],
        NextToken: "p2",
      },
      {
        RetrievalStatus: "COMPLETE",
        Traces: [
          { Id: "1-a", Spans: [span("s2")] },
          { Id: "1-b", Spans: [] },
        ],
      },
    ]);
    const r = await s.port.listRetrievedTraces("tok", "OTEL", { pauseMs: 100, deadlineMs: 1_000 });
    expect(r.traces).toEqual([
      {
        id: "1-a",
        duration: 250,
        spans: [
          { id: "s1", document: '{"spanId":"s1"}' },
          { id: "s2", document: '{"spanId":"s2"}' },
        ],
      },
      { id: "1-b", duration: null, spans: [] },
    ]);
    expect(s.ops).toEqual([
      "ListRetrievedTraces",
      "ListRetrievedTraces",
      "ListRetrievedTraces",
      "ListRetrievedTraces",
    ]);
    expect(s.sent.map((i) => i.NextToken)).toEqual([undefined, undefined, undefined, "p2"]);
    expect(s.sent.every((i) => i.RetrievalToken === "tok" && i.TraceFormat === "OTEL")).toBe(true);
    expect(s.elapsed()).toBe(200);
  });

  it("gives up with a coded Timeout at the deadline", async () => {
    const s = scripted([{ RetrievalStatus: "RUNNING" }]);
    const err = await s.port
      .listRetrievedTraces("tok", "OTEL", { pauseMs: 100, deadlineMs: 450 })
      .catch((e) => e);
    expect(isFleetscopeError(err) && err.code).toBe("Timeout");
    expect(s.ops.length).toBe(5);
    expect(s.elapsed()).toBeLessThanOrEqual(450);
  });

  it.each([
    ["FAILED", "Unavailable"],
    ["CANCELLED", "Unavailable"],
    ["TIMEOUT", "Timeout"],
  ])("a %s retrieval fails with %s", async (status, code) => {
    const s = scripted([{ RetrievalStatus: status }]);
    const err = await s.port.listRetrievedTraces("tok", "XRAY").catch((e) => e);
    expect(isFleetscopeError(err) && err.code).toBe(code);
    expect(String((err as Error).message)).toContain(status);
    expect(s.ops).toHaveLength(1);
  });

  /** A COMPLETE retrieval that always has another page (a fresh token each time), each read costing `stepMs`. */
  function endless(stepMs: number) {
    let t = 0;
    let n = 0;
    const client = {
      send: async () => {
        n++;
        t += stepMs;
        return {
          RetrievalStatus: "COMPLETE",
          Traces: [{ Id: "1-a", Spans: [span(`s${n}`)] }],
          NextToken: `p${n}`,
        };
      },
    } as unknown as XRayClient;
    const ops: string[] = [];
    const port = createXRayPort(client, "eu-west-1", {
      onRequest: (op) => ops.push(op),
      clock: { now: () => t, sleep: async (ms) => void (t += ms) },
    });
    return { port, ops };
  }

  it("reads at most MAX_RETRIEVED_PAGES pages of a COMPLETE retrieval, and says it stopped", async () => {
    const s = endless(0);
    const r = await s.port.listRetrievedTraces("tok", "OTEL");
    expect(s.ops).toHaveLength(MAX_RETRIEVED_PAGES);
    expect(r.truncated).toBe(true);
    expect(r.traces[0]?.spans).toHaveLength(MAX_RETRIEVED_PAGES);
  });

  it("stops paging a COMPLETE retrieval at the deadline", async () => {
    const s = endless(100);
    const r = await s.port.listRetrievedTraces("tok", "OTEL", { deadlineMs: 450 });
    expect(r.truncated).toBe(true);
    // Pages read until the clock passed the deadline: 5 reads of 100 ms, not the page cap.
    expect(s.ops).toHaveLength(5);
  });

  it("stops at a repeated page token instead of paging forever", async () => {
    const s = scripted([
      { RetrievalStatus: "COMPLETE", Traces: [{ Id: "1-a", Spans: [span("s1")] }], NextToken: "same" },
    ]);
    const r = await s.port.listRetrievedTraces("tok", "OTEL");
    expect(s.ops).toHaveLength(2);
    expect(r.traces[0]?.spans.length).toBe(2);
    expect(r.truncated).toBe(false);
  });
});
