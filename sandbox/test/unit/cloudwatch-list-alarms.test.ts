import { describe, expect, it } from "vitest";
import { handleCloudWatch } from "../../src/cloudwatch/handler";
import type { Alias } from "../../src/fleet/model";
import type { MinuteRecord } from "../../src/sim/types";
import { MIN, NOW, context, fn, inv, minute, request } from "../support/cloudwatch-fixture";

const live = (primary: string, additional: string | null, fromMs: number): Alias => ({
  name: "live",
  description: "",
  revisionId: "r",
  history: [
    { fromMs: NOW - 20 * 86_400_000, functionVersion: "5", additional: null },
    {
      fromMs,
      functionVersion: primary,
      additional: additional ? { version: additional, weight: 0.3 } : null,
    },
  ],
});

const payments = fn("payments-api", {
  aliases: [live("7", "8", NOW - 3 * 3_600_000)],
  traffic: { peakPerMinute: 10, dailyDip: 0, burstChance: 0, burstFactor: 1, viaAlias: "live" },
});
const orders = fn("orders-api");
const checkout = fn("checkout-api", { provisioned: [{ qualifier: "live", requested: 50 }] });
const idle = fn("idle-worker", {
  traffic: { peakPerMinute: 0, dailyDip: 0, burstChance: 0, burstFactor: 1, viaAlias: null },
});

function busyMinutes(
  name: string,
  errorsOf10: number,
  opts: { alias?: string; version?: string } = {},
): MinuteRecord[] {
  const out: MinuteRecord[] = [];
  for (let m = NOW - 15 * MIN; m < NOW; m += MIN) {
    out.push(
      minute(
        m,
        Array.from({ length: 10 }, (_, i) =>
          inv(name, m + i * 1000, 50, { ...opts, outcome: i < errorsOf10 ? "error" : "success" }),
        ),
      ),
    );
  }
  return out;
}

const records = new Map<string, MinuteRecord[]>([
  ["payments-api", busyMinutes("payments-api", 2, { alias: "live", version: "8" })],
  ["orders-api", busyMinutes("orders-api", 0)],
  [
    "checkout-api",
    [
      minute(NOW - 30 * MIN, [inv("checkout-api", NOW - 30 * MIN, 10, { alias: "live", version: "3" })], {
        provisionedConcurrency: 50,
      }),
    ],
  ],
]);

const ctx = () => context([payments, orders, checkout, idle], records);

async function call(target: string, body: unknown) {
  const res = await handleCloudWatch(request(target, body), ctx());
  return { res, body: JSON.parse(String(res.body)) as Record<string, unknown> };
}

type Metric = { MetricName: string; Dimensions: { Name: string; Value: string }[] };
const key = (m: Metric) => `${m.MetricName}|${m.Dimensions.map((d) => `${d.Name}=${d.Value}`).join(",")}`;

describe("ListMetrics", () => {
  it("lists function, alias and executed-version series from the model, not idle functions", async () => {
    const { body } = await call("ListMetrics", { Namespace: "AWS/Lambda" });
    const keys = (body.Metrics as Metric[]).map(key);
    expect(keys).toContain("Invocations|FunctionName=payments-api");
    expect(keys).toContain("Errors|FunctionName=payments-api,Resource=payments-api:live");
    // live routed to 5 until 3 h ago, then 7 + 8: all within two weeks.
    for (const v of ["5", "7", "8"]) {
      expect(keys).toContain(
        `Errors|FunctionName=payments-api,Resource=payments-api:live,ExecutedVersion=${v}`,
      );
    }
    expect(keys).toContain(
      "ProvisionedConcurrencyUtilization|FunctionName=checkout-api,Resource=checkout-api:live",
    );
    expect(keys).toContain("ClaimedAccountConcurrency|");
    expect(keys.some((k) => k.includes("idle-worker"))).toBe(false);
    expect(keys).toEqual([...keys].sort((a, b) => a.localeCompare(b)));
  });

  it("filters by metric name and dimension (name only, or name and value)", async () => {
    const { body } = await call("ListMetrics", {
      MetricName: "Errors",
      Dimensions: [{ Name: "FunctionName", Value: "payments-api" }, { Name: "ExecutedVersion" }],
    });
    expect((body.Metrics as Metric[]).map((m) => m.Dimensions.at(-1)?.Value)).toEqual(["5", "7", "8"]);
  });

  it("lists only series with data in the last three hours with RecentlyActive=PT3H", async () => {
    const { body } = await call("ListMetrics", { RecentlyActive: "PT3H", MetricName: "Invocations" });
    const keys = (body.Metrics as Metric[]).map(key);
    expect(keys).toContain(
      "Invocations|FunctionName=payments-api,Resource=payments-api:live,ExecutedVersion=8",
    );
    expect(keys).not.toContain(
      "Invocations|FunctionName=payments-api,Resource=payments-api:live,ExecutedVersion=5",
    );
    expect(keys).toContain("Invocations|FunctionName=checkout-api");
  });

  it("returns nothing for another namespace", async () => {
    const { body } = await call("ListMetrics", { Namespace: "AWS/EC2" });
    expect(body.Metrics).toEqual([]);
  });

  it("rejects a forged NextToken", async () => {
    const { res } = await call("ListMetrics", { NextToken: "bm9wZQ" });
    expect(res.status).toBe(400);
    expect(res.headers?.["x-amzn-query-error"]).toBe("InvalidNextToken;Sender");
  });
});

describe("DescribeAlarms", () => {
  it("computes the planted alarms' states from the metrics at now", async () => {
    const { body } = await call("DescribeAlarms", {});
    const alarms = body.MetricAlarms as Record<string, unknown>[];
    const byName = new Map(alarms.map((a) => [a.AlarmName, a]));
    expect(byName.get("payments-api-canary-errors")).toMatchObject({
      StateValue: "ALARM",
      MetricName: "Errors",
      Namespace: "AWS/Lambda",
      Statistic: "Average",
      Dimensions: [
        { Name: "FunctionName", Value: "payments-api" },
        { Name: "Resource", Value: "payments-api:live" },
        { Name: "ExecutedVersion", Value: "8" },
      ],
      AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:payments-api-canary-errors",
    });
    expect(byName.get("orders-api-error-rate")?.StateValue).toBe("OK");
    expect(byName.get("checkout-api-iterator-age")?.StateValue).toBe("INSUFFICIENT_DATA");
    expect(byName.has("image-resizer-p99-duration")).toBe(false); // its function is not in this account
  });

  it("filters by StateValue, names and prefix", async () => {
    const alarm = await call("DescribeAlarms", { StateValue: "ALARM" });
    expect((alarm.body.MetricAlarms as { AlarmName: string }[]).map((a) => a.AlarmName)).toEqual([
      "payments-api-canary-errors",
    ]);
    const named = await call("DescribeAlarms", { AlarmNames: ["orders-api-error-rate", "nope"] });
    expect((named.body.MetricAlarms as { AlarmName: string }[]).map((a) => a.AlarmName)).toEqual([
      "orders-api-error-rate",
    ]);
    const prefixed = await call("DescribeAlarms", { AlarmNamePrefix: "checkout" });
    expect((prefixed.body.MetricAlarms as unknown[]).length).toBe(1);
  });

  it("pages with MaxRecords and NextToken", async () => {
    const first = await call("DescribeAlarms", { MaxRecords: 2 });
    expect((first.body.MetricAlarms as unknown[]).length).toBe(2);
    const second = await call("DescribeAlarms", { MaxRecords: 2, NextToken: first.body.NextToken });
    expect((second.body.MetricAlarms as unknown[]).length).toBe(1);
    expect(second.body.NextToken).toBeUndefined();
  });

  it("rejects AlarmNames together with AlarmNamePrefix", async () => {
    const { res } = await call("DescribeAlarms", { AlarmNames: ["a"], AlarmNamePrefix: "a" });
    expect(res.status).toBe(400);
    expect(res.headers?.["x-amzn-query-error"]).toBe("InvalidParameterCombination;Sender");
  });
});
