import { describe, expect, it } from "vitest";
import { createFaultInjector } from "../../src/faults";
import { generateAccount } from "../../src/fleet/generate";
import { updateAlias } from "../../src/lambda/update-alias";
import { parseFunctionName } from "../../src/lambda/names";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 30);

function orders() {
  const account = generateAccount({ seed: 9, nowMs: NOW, functionsPerRegion: 20 });
  const fn = account.regions.get("us-east-1")?.functions.get("orders-api");
  if (!fn) throw new Error("orders-api missing");
  return { account, fn };
}

describe("updateAlias history", () => {
  it("takes effect from the next minute and replaces a pending change made in the same minute", () => {
    const { account, fn } = orders();
    const scope = { region: "us-east-1", accountId: account.accountId, seed: 9, now: NOW };
    const live = fn.aliases.find((a) => a.name === "live");
    const before = live?.history.length ?? 0;
    const first = updateAlias(scope, fn, "live", {
      RoutingConfig: { AdditionalVersionWeights: { "13": 0.5 } },
    });
    const rev1 = first.revisionId;
    updateAlias(scope, fn, "live", {
      RoutingConfig: { AdditionalVersionWeights: { "13": 0.8 } },
      RevisionId: rev1,
    });
    expect(live?.history).toHaveLength(before + 1);
    expect(live?.history.at(-1)).toEqual({
      fromMs: Date.UTC(2026, 10, 23, 12, 1),
      functionVersion: "12",
      additional: { version: "13", weight: 0.8 },
    });
    expect(live?.revisionId).not.toBe(rev1);
    updateAlias({ ...scope, now: NOW + 60_000 }, fn, "live", { FunctionVersion: "13", RoutingConfig: {} });
    expect(live?.history).toHaveLength(before + 2);
    expect(live?.history.at(-1)).toMatchObject({ functionVersion: "13", additional: null });
  });

  it("leaves state untouched on a stale revision", () => {
    const { account, fn } = orders();
    const live = fn.aliases.find((a) => a.name === "live");
    const snapshot = structuredClone(live);
    expect(() =>
      updateAlias({ region: "us-east-1", accountId: account.accountId, seed: 9, now: NOW }, fn, "live", {
        FunctionVersion: "13",
        RevisionId: "stale",
      }),
    ).toThrow(/Revision Id provided does not match/);
    expect(live).toEqual(snapshot);
  });
});

describe("function names", () => {
  it("accepts names, partial and full ARNs with qualifiers", () => {
    expect(parseFunctionName("orders-api")).toEqual({
      name: "orders-api",
      qualifier: null,
      region: null,
      accountId: null,
    });
    expect(parseFunctionName("123456789012:function:orders-api:live")).toMatchObject({
      name: "orders-api",
      qualifier: "live",
      accountId: "123456789012",
    });
    expect(parseFunctionName("arn:aws:lambda:eu-west-1:123456789012:function:x:$LATEST")).toMatchObject({
      region: "eu-west-1",
      qualifier: "$LATEST",
    });
    expect(() => parseFunctionName("bad name!")).toThrow(/validation error/);
  });
});

describe("fault injector", () => {
  it("is reproducible from the seed and honours per-operation overrides", () => {
    const run = () => {
      const f = createFaultInjector(7, {
        monitoring: { throttleRate: 0.3, operations: { GetMetricData: { throttleRate: 0 } } },
      });
      return Array.from(
        { length: 200 },
        (_, i) => f.decide("monitoring", i % 2 ? "GetMetricData" : "ListMetrics").kind,
      );
    };
    const a = run();
    expect(run()).toEqual(a);
    const listThrottled = a.filter((k, i) => i % 2 === 0 && k === "throttle").length;
    expect(a.filter((k, i) => i % 2 === 1 && k !== "none")).toEqual([]);
    expect(listThrottled).toBeGreaterThan(15);
    expect(listThrottled).toBeLessThan(50);
  });
});
