/** Each route's own params: typed values, and a problem per bad param instead of a thrown error. */
import { describe, expect, it } from "vitest";
import { loadFunctionsQuery, writeFunctionsQuery } from "@/lib/url/functions";
import { loadMapParams, mapHref } from "@/lib/url/map";
import { loadSourcesParams } from "@/lib/url/sources";
import { loadTraceListParams } from "@/lib/url/traces";
import { loadTrafficQuery } from "@/lib/url/traffic";

const REGIONS = ["us-east-1", "eu-west-1"];

describe("route URL state", () => {
  it("/functions: sort and dir with defaults left out of the URL", () => {
    expect(loadFunctionsQuery({ q: "pay", sort: "memory", dir: "desc" })).toEqual({
      query: { q: "pay", sort: "memory", dir: "desc" },
      problems: {},
    });
    const bad = loadFunctionsQuery({ sort: "price", dir: "up" });
    expect(bad.query).toEqual({ q: "", sort: "name", dir: "asc" });
    expect(bad.problems.sort).toMatch(/"price"/);
    expect(bad.problems.dir).toMatch(/asc or desc/);
    const written = writeFunctionsQuery(new URLSearchParams("range=24h&sort=memory"), {
      q: " ",
      sort: "name",
      dir: "asc",
    });
    expect(written.toString()).toBe("range=24h");
  });

  it("/map: an unconfigured region is the first configured one, and said", () => {
    const href = mapHref({ account: "222222222222", region: "eu-west-1" }, "orders");
    expect(loadMapParams(new URL(href, "http://x").searchParams, REGIONS)).toEqual({
      account: "222222222222",
      region: "eu-west-1",
      functionName: "orders",
      problems: {},
    });
    const bad = loadMapParams({ region: "mars-1" }, REGIONS);
    expect(bad.region).toBe("us-east-1");
    expect(bad.problems.region).toBe('Region "mars-1" is not configured: showing us-east-1.');
  });

  it("/sources: an unknown health is every source, and said", () => {
    expect(loadSourcesParams({ health: "falling-behind" })).toEqual({
      health: "falling behind",
      problems: {},
    });
    expect(loadSourcesParams({})).toEqual({ health: null, problems: {} });
    expect(loadSourcesParams({ health: "great" }).problems.health).toBe(
      'Unknown health "great": showing every source.',
    );
  });

  it("/traces: bad slower and annotation are ignored and said next to their fields", () => {
    const p = loadTraceListParams({ slower: "fast", ann: "nocolon", region: "mars-1" }, REGIONS);
    expect(p.filter).toEqual({});
    expect(p.region).toBe("us-east-1");
    expect(Object.keys(p.problems).sort()).toEqual(["ann", "region", "slower"]);
    const good = loadTraceListParams({ slower: "1.5", ann: "version:8", faults: "1" }, REGIONS);
    expect(good.problems).toEqual({});
    expect(good.filter).toEqual({ faults: true, minDurationS: 1.5, annotations: { version: 8 } });
  });

  it("/traffic: an unknown health is every alias, and said", () => {
    expect(loadTrafficQuery({ q: " pay ", health: "failing" })).toEqual({
      query: { q: "pay", health: "failing" },
      problems: {},
    });
    expect(loadTrafficQuery({ health: "bogus" }).problems.health).toMatch(/"bogus"/);
  });
});
