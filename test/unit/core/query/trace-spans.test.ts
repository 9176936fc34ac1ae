/** The aws/spans trace-list query (lib/core/query/trace-spans.ts): user text stays data; rows read strictly. */
import { describe, expect, it } from "vitest";
import { isFleetscopeError } from "@/lib/core/errors";
import { spansRowToSummary, spansTraceListQuery } from "@/lib/core/query/trace-spans";

describe("spansTraceListQuery", () => {
  it("filters the function's SERVER spans, faults on demand", () => {
    const q = spansTraceListQuery("orders-api", { faults: true });
    expect(q).toContain('| filter kind = "SERVER" and name = "orders-api" and status.code = "ERROR"');
    expect(spansTraceListQuery("orders-api")).not.toContain("status.code =");
  });

  it("escapes hostile text into one literal and refuses control characters", () => {
    const q = spansTraceListQuery('x" or kind = "CLIENT" | fields @message \\');
    expect(q).toContain('name = "x\\" or kind = \\"CLIENT\\" | fields @message \\\\"');
    expect(q.split("\n")).toHaveLength(4);
    const err = (() => {
      try {
        return spansTraceListQuery("a\u0000b");
      } catch (e) {
        return e;
      }
    })();
    expect(isFleetscopeError(err) && err.code).toBe("InvalidInput");
  });
});

describe("spansRowToSummary", () => {
  const row = {
    traceId: "6756a2c00a1b2c3d4e5f60718293a4b5",
    startTimeUnixNano: "1733731008123456000",
    durationNano: "250500000",
    "status.code": "ERROR",
    "attributes.faas.coldstart": "1",
  };

  it("reads a row into a summary in X-Ray's id form", () => {
    expect(spansRowToSummary(row, "orders-api")).toMatchObject({
      id: "1-6756a2c0-0a1b2c3d4e5f60718293a4b5",
      start: 1733731008123.456,
      duration: 250.5,
      hasFault: true,
      annotations: { coldStart: [true] },
      entryPoint: "orders-api",
    });
  });

  it("calls a failed 4xx an error, 429 a throttle and any other failure a fault, as the waterfall does", () => {
    const at = (status: string | undefined, code = "ERROR") =>
      spansRowToSummary({ ...row, "status.code": code, "attributes.http.response.status_code": status }, "f");
    expect(at("404")).toMatchObject({ hasError: true, hasFault: false, hasThrottle: false, httpStatus: 404 });
    expect(at("429")).toMatchObject({ hasError: true, hasFault: false, hasThrottle: true });
    expect(at("502")).toMatchObject({ hasError: false, hasFault: true, hasThrottle: false, httpStatus: 502 });
    expect(at(undefined)).toMatchObject({ hasError: false, hasFault: true, httpStatus: null });
    expect(at("500", "OK")).toMatchObject({ hasError: false, hasFault: false, hasThrottle: false });
    // The pre-1.20 attribute name is read too.
    expect(spansRowToSummary({ ...row, "attributes.http.status_code": "429" }, "f")).toMatchObject({
      hasThrottle: true,
      hasError: true,
    });
  });

  it("asks for the response status in the query", () => {
    expect(spansTraceListQuery("f")).toContain("attributes.http.response.status_code");
  });

  it("drops rows without a valid id or start, and leaves an unknown duration absent", () => {
    expect(spansRowToSummary({ ...row, traceId: "zz" }, "f")).toBeNull();
    expect(spansRowToSummary({ ...row, startTimeUnixNano: "-1" }, "f")).toBeNull();
    const s = spansRowToSummary({ ...row, durationNano: undefined, "status.code": undefined }, "f");
    expect(s?.duration).toBeNull();
    expect(s?.hasFault).toBe(false);
  });
});
