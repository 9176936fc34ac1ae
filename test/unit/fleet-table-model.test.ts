/**
 * The fleet telemetry table's condition filter and URL state (components/fleet/table-model.ts). Its sorting and
 * search are the shared data table's: components/ui/data-table/data-table.test.tsx.
 */
import { describe, expect, it } from "vitest";
import {
  accountText,
  DEFAULT_FLEET_QUERY,
  functionRowId,
  loadFleetQuery,
  matchesFleetFilter,
  parseFleetQuery,
  visibleColumns,
} from "@/components/fleet/table-model";
import { mb, ms, ratio } from "@/lib/core/units";
import type { FunctionRow } from "@/lib/data/telemetry/assemble";

const row = (name: string, over: Partial<FunctionRow> = {}): FunctionRow => ({
  account: "123456789012",
  accountName: null,
  region: "us-east-1",
  name,
  memory: mb(1024),
  invocations: 10,
  errors: 0,
  errorRate: ratio(0),
  throttles: 0,
  p99: ms(100),
  coldStarts: 0,
  coldStartRate: ratio(0),
  avgInit: null,
  maxMemoryUsed: null,
  monthlyCost: null,
  cost: null,
  ...over,
});

const rows = [
  row("alpha", { p99: ms(300), errors: 2 }),
  row("beta", { p99: null }),
  row("gamma", { p99: ms(100), throttles: 4 }),
  row("delta", { p99: ms(200), coldStarts: 1 }),
];
const names = (r: FunctionRow[]) => r.map((x) => x.name);

describe("fleet table model", () => {
  it("keeps only the rows that pass the condition filter; unknown counts never pass", () => {
    const kept = (f: Parameters<typeof matchesFleetFilter>[1]) =>
      names(rows.filter((r) => matchesFleetFilter(r, f)));
    expect(kept("all")).toEqual(["alpha", "beta", "gamma", "delta"]);
    expect(kept("errors")).toEqual(["alpha"]);
    expect(kept("throttled")).toEqual(["gamma"]);
    expect(kept("cold")).toEqual(["delta"]);
    const unknown = row("unknown", { errors: null, throttles: null, coldStarts: null });
    expect([matchesFleetFilter(unknown, "errors"), matchesFleetFilter(unknown, "throttled")]).toEqual([
      false,
      false,
    ]);
  });

  it("reads its URL state and falls back to defaults for unknown values", () => {
    expect(parseFleetQuery(new URLSearchParams("fq=pay&fsort=p99&fdir=asc&ffilter=cold"))).toEqual({
      q: "pay",
      sort: "p99",
      dir: "asc",
      filter: "cold",
    });
    expect(parseFleetQuery(new URLSearchParams("fsort=nope&fdir=up&ffilter=x"))).toEqual(DEFAULT_FLEET_QUERY);
  });

  it("says each bad value it replaced, and nothing for good or absent ones", () => {
    expect(loadFleetQuery(new URLSearchParams("fsort=nope&fdir=up&ffilter=x"))).toEqual({
      query: DEFAULT_FLEET_QUERY,
      problems: {
        sort: 'Cannot sort functions by "nope": sorted by invocations.',
        dir: '"fdir" is asc or desc: sorted descending.',
        filter: 'Unknown filter "x": showing all functions.',
      },
    });
    expect(loadFleetQuery(new URLSearchParams("fsort=p99&fdir=asc&ffilter=cold")).problems).toEqual({});
    expect(loadFleetQuery(new URLSearchParams("")).problems).toEqual({});
    expect(loadFleetQuery(new URLSearchParams("ffilter=")).problems.filter).toMatch(/Unknown filter ""/);
  });
});

describe("the Account column", () => {
  const columns = [{ id: "name" }, { id: "account" }, { id: "region" }];

  it("is hidden when one account is read, and shown with several", () => {
    expect(visibleColumns(columns, 1).map((c) => c.id)).toEqual(["name", "region"]);
    expect(visibleColumns(columns, 0).map((c) => c.id)).toEqual(["name", "region"]);
    expect(visibleColumns(columns, 3).map((c) => c.id)).toEqual(["name", "account", "region"]);
  });

  it("reads the account id with its Organizations name when known", () => {
    expect(accountText(row("a", { account: "222222222222", accountName: "member-1" }))).toBe(
      "222222222222 (member-1)",
    );
    expect(accountText(row("a"))).toBe("123456789012");
  });

  it("keys rows by account, region and name: two accounts' same-named functions are two rows", () => {
    const mine = row("orders");
    const theirs = row("orders", { account: "222222222222" });
    expect(functionRowId(mine)).not.toBe(functionRowId(theirs));
    expect(functionRowId(theirs)).toBe("222222222222/us-east-1/orders");
  });
});
