import { describe, expect, it } from "vitest";
import { coldStartBreakdown, spanExceptions, traceRequestId } from "@/lib/core/traces/cold-start";
import { classifyId, parseRequestId, parseTraceId, traceIdEpochSeconds } from "@/lib/core/traces/ids";
import { readTrace } from "@/lib/core/traces/tree";
import { lambdaTrace, raw, REQUEST_ID, T0, TRACE_ID } from "./fixtures";

describe("coldStartBreakdown", () => {
  it("reads init, invocation and overhead, the executed version and the alias", () => {
    const { service, fn } = lambdaTrace({ initMs: 2203.5, handlerMs: 88.75, alias: "live", version: "8" });
    const b = coldStartBreakdown(readTrace(TRACE_ID, raw(service, fn)));
    expect(b).toEqual({
      functionName: "orders-api",
      cold: true,
      coldKind: "init",
      init: 2203.5,
      restore: null,
      invocation: 88.75,
      overhead: 1.2,
      total: 2203.5 + 88.75 + 1.2,
      version: "8",
      alias: "live",
    });
  });

  it("a warm request has no init; version and alias fall back to the resource ARNs", () => {
    const { service, fn } = lambdaTrace({ initMs: null, alias: "beta", version: "4" });
    const inv = (fn.subsegments as { name: string; annotations?: unknown }[]).find(
      (s) => s.name === "Invocation",
    )!;
    delete inv.annotations;
    const b = coldStartBreakdown(readTrace(TRACE_ID, raw(service, fn)))!;
    expect(b).toMatchObject({ cold: false, init: null, version: "4", alias: "beta" });
  });

  it("a SnapStart restore is its own cold-start phase: Restore in Initialization's place", () => {
    const { service, fn } = lambdaTrace({ initMs: 650.25, handlerMs: 40, version: "3" });
    const init = (fn.subsegments as { name: string }[]).find((s) => s.name === "Initialization")!;
    init.name = "Restore";
    const b = coldStartBreakdown(readTrace(TRACE_ID, raw(service, fn)))!;
    expect(b).toMatchObject({ cold: true, coldKind: "restore", init: null, restore: 650.25, invocation: 40 });
  });

  it("is null when there is no function segment", () => {
    const { service } = lambdaTrace();
    expect(coldStartBreakdown(readTrace(TRACE_ID, raw(service)))).toBeNull();
  });

  it("finds the request id and resolves an exception cited by id", () => {
    const { service, fn } = lambdaTrace({ failed: true });
    const tree = readTrace(TRACE_ID, raw(service, fn));
    expect(traceRequestId(tree)).toBe(REQUEST_ID);
    const invocation = tree.spans.findIndex((s) => s.phase === "Invocation");
    expect(spanExceptions(tree, invocation).map((e) => e.type)).toEqual(["PaymentDeclined"]);
  });
});

describe("ids", () => {
  it("validates trace ids and request ids, and tells them apart", () => {
    expect(parseTraceId(` ${TRACE_ID} `)).toBe(TRACE_ID);
    expect(() => parseTraceId("1-5759e988-bd862e3fe1be46a99427279")).toThrow(/not an X-Ray trace id/);
    expect(() => parseTraceId("1-5759E988-bd862e3fe1be46a994272793")).toThrow(/InvalidInput|not an X-Ray/);
    expect(parseRequestId(REQUEST_ID.toUpperCase())).toBe(REQUEST_ID);
    expect(() => parseRequestId("not-a-request")).toThrow(/not a Lambda request id/);
    expect(classifyId(TRACE_ID)).toBe("trace");
    expect(classifyId(REQUEST_ID)).toBe("request");
    expect(classifyId("<script>")).toBeNull();
  });

  it("reads the start second encoded in a trace id", () => {
    const id = `1-${T0.toString(16)}-0123456789abcdef01234567`;
    expect(traceIdEpochSeconds(id)).toBe(T0);
  });
});
