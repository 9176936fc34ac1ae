/** The fleet table's and fleet total's cost: provisioned concurrency in, missing parts said (assemble.ts). */
import { describe, expect, it } from "vitest";
import { bucketRange } from "@/lib/core/time/bucket";
import { choosePeriod } from "@/lib/core/time/period";
import { toCents } from "@/lib/core/pricing";
import { epochMs, mb, ms } from "@/lib/core/units";
import { buildFunctionRows, rangeCost } from "@/lib/data/telemetry/assemble";
import { functionKey, type InventoryFunction } from "@/lib/data/telemetry/plan";

const NOW = epochMs(Date.UTC(2026, 10, 23, 12));
const HOUR = 3_600_000;
const bucket = (() => {
  const w = { start: epochMs(NOW - HOUR), end: NOW };
  return bucketRange(w, NOW, choosePeriod(w, NOW));
})();

const fn = (name: string, over: Partial<InventoryFunction> = {}): InventoryFunction => ({
  account: "123456789012",
  region: "us-east-1",
  name,
  memory: mb(1024),
  architecture: "x86_64",
  runtime: "nodejs22.x",
  packageType: "Zip",
  ephemeralStorage: mb(512),
  logGroup: `/aws/lambda/${name}`,
  logFormat: "Text",
  provisioned: [],
  ...over,
});

const series = (name: string, values: { invocations: number; avgDuration: number; pcSpillover?: number }) =>
  new Map(
    Object.entries(values).map(([id, v]) => [
      functionKey(name, id as "invocations"),
      { timestamps: [bucket.start], values: [v] },
    ]),
  );

const logs = (name: string, coldStarts: number) => ({
  perFunction: new Map([
    [
      name,
      {
        invocations: 1000,
        coldStarts,
        initSum: coldStarts > 0 ? ms(coldStarts * 800) : null,
        maxInit: null,
        maxMemoryUsed: null,
        memorySize: null,
        billedSum: ms(1000 * 1250),
      },
    ],
  ]),
  series: new Map(),
  sharedGroups: new Set<string>(),
});

describe("fleet rows' cost", () => {
  it("includes provisioned concurrency per alias, spillover on demand", () => {
    const f = fn("checkout-api", { provisioned: [{ qualifier: "live", concurrency: 50 }] });
    const [row] = buildFunctionRows(
      [f],
      series(f.name, { invocations: 1000, avgDuration: 1249.2, pcSpillover: 0 }),
      logs(f.name, 0),
      bucket,
      NOW,
    );
    expect(row?.cost?.provisioned).toEqual([
      { qualifier: "live", concurrency: 50, monthly: expect.any(Number) },
    ]);
    expect(row?.cost && toCents(row.cost.parts.provisionedConcurrency)).toBe(54750);
    expect(row?.cost?.parts.duration).toBe(0);
    expect(row?.cost?.lowerBound).toBe(false);
    expect(row?.monthlyCost).toBe(row?.cost?.total);
  });

  it("a failed logs source leaves INIT out and says so: a lower bound, in the fleet total too", () => {
    const a = fn("notify-sms");
    const rows = (withLogs: boolean) =>
      buildFunctionRows(
        [a],
        series(a.name, { invocations: 1000, avgDuration: 1249.2 }),
        withLogs ? logs(a.name, 500) : null,
        bucket,
        NOW,
      );
    const [ok] = rows(true);
    const [failed] = rows(false);
    expect(ok?.cost?.parts.init).toBeGreaterThan(0);
    expect(failed?.cost?.missing).toEqual(["init: logs unavailable"]);
    expect(failed?.cost?.total).toBe((ok?.cost?.total ?? 0) - (ok?.cost?.parts.init ?? 0));
    expect(rangeCost(rows(true), bucket).lowerBound).toBe(false);
    expect(rangeCost(rows(false), bucket)).toMatchObject({
      lowerBound: true,
      missing: [{ part: "init: logs unavailable", functions: 1 }],
    });
  });

  it("provisioned concurrency not read (live listing) is a missing part", () => {
    const [row] = buildFunctionRows(
      [fn("a", { provisioned: undefined })],
      series("a", { invocations: 10, avgDuration: 100 }),
      logs("a", 0),
      bucket,
      NOW,
    );
    expect(row?.cost?.missing).toEqual(["provisioned concurrency: not read yet"]);
  });
});
