import { describe, expect, it } from "vitest";
import { criticalPath } from "@/lib/core/traces/critical-path";
import { layoutTrace } from "@/lib/core/traces/layout";
import { readTrace } from "@/lib/core/traces/tree";
import { fromWaterfallData, toWaterfallData } from "@/lib/core/traces/waterfall-data";
import { lambdaTrace, raw, syntheticTrace, TRACE_ID } from "./fixtures";

// Through JSON text, as the RSC payload carries it to the browser.
const overTheWire = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe("WaterfallData", () => {
  it("round-trips a failed Lambda trace field for field: spans, depths, bounds and critical path", () => {
    const { service, fn } = lambdaTrace({ failed: true });
    const tree = readTrace(TRACE_ID, raw(service, fn));
    const { tree: decoded, critical } = fromWaterfallData(overTheWire(toWaterfallData(tree)));
    expect(decoded.spans).toEqual(tree.spans);
    expect(Array.from(decoded.depth)).toEqual(Array.from(tree.depth));
    expect([decoded.traceId, decoded.start, decoded.end]).toEqual([tree.traceId, tree.start, tree.end]);
    expect(Array.from(critical)).toEqual(Array.from(criticalPath(tree)));
    // The exception, the HTTP call and the phases survive, and the init duration stays exact.
    expect(decoded.spans[1]!.exceptions[0]?.type).toBe("PaymentDeclined");
    expect(decoded.spans.find((s) => s.name === "api.stripe.com")?.http?.status).toBe(429);
    expect(decoded.spans.find((s) => s.phase === "Initialization")?.duration).toBe(145.12);
  });

  it("lays out the decoded tree exactly as the server's tree", () => {
    const tree = readTrace(TRACE_ID, syntheticTrace(2_000));
    const critical = criticalPath(tree);
    const decoded = fromWaterfallData(overTheWire(toWaterfallData(tree, critical)));
    const collapsed = new Set([tree.spans[10]!.id, tree.spans[500]!.id]);
    expect(layoutTrace(decoded.tree, { critical: decoded.critical, collapsed })).toEqual(
      layoutTrace(tree, { critical, collapsed }),
    );
  });

  it("leaves default fields out of the wire, and decodes every span to one shape", () => {
    const { service, fn } = lambdaTrace();
    const lambda = toWaterfallData(readTrace(TRACE_ID, raw(service, fn)));
    // A plain subsegment: id, name and times (phase is derived from the tree, so it is sent).
    const init = lambda.spans.find((s) => s.name === "Initialization")!;
    expect(Object.keys(init).sort()).toEqual(["duration", "end", "id", "name", "phase", "start"]);
    const tree = readTrace(TRACE_ID, syntheticTrace(300));
    const data = toWaterfallData(tree);
    // syntheticTrace writes one segment document per span.
    expect(Object.keys(data.spans.find((s) => s.name === "span-1")!).sort()).toEqual([
      "duration",
      "end",
      "id",
      "kind",
      "name",
      "start",
    ]);
    expect(data.spans.find((s) => s.name === "span-97")).toMatchObject({ fault: true });
    const shapes = new Set(fromWaterfallData(data).tree.spans.map((s) => Object.keys(s).join()));
    expect(shapes.size).toBe(1);
    // Half the size of the segment documents it came from.
    expect(JSON.stringify(data).length).toBeLessThan(JSON.stringify(syntheticTrace(300)).length * 0.6);
  });

  it("ignores critical indices outside the trace", () => {
    const tree = readTrace(TRACE_ID, syntheticTrace(5));
    const data = { ...toWaterfallData(tree), critical: [-1, 0, 99] };
    expect(Array.from(fromWaterfallData(data).critical)).toEqual([1, 0, 0, 0, 0]);
  });
});
