import { describe, expect, it } from "vitest";
import type { LambdaPort } from "@/lib/aws/lambda";
import { FleetscopeError } from "@/lib/core/errors";
import type { FunctionConfig } from "@/lib/core/lambda/types";
import { pagesPerRun, readLiveVersions } from "@/lib/data/advisor/version-inventory";
import { memoizedVersionConfigs } from "@/lib/store/version-configs";
import { config } from "./core/advisor-fixtures";

const ACCOUNT = "arn:aws:lambda:us-east-1:000000000000:function";
const v = (name: string, version: string): FunctionConfig =>
  config({ name, version, arn: `${ACCOUNT}:${name}:${version}`, runtime: "python3.8" });

/** A fleet of `functions` functions with 4 published versions each, listed 50 configurations a page. */
function fakeLambda(functions: number, calls: string[]): LambdaPort {
  const all: FunctionConfig[] = [];
  for (let f = 0; f < functions; f++) {
    const name = `fn-${String(f).padStart(4, "0")}`;
    all.push(config({ name, arn: `${ACCOUNT}:${name}` }));
    for (let n = 1; n <= 4; n++) all.push(v(name, String(n)));
  }
  const unused = () => Promise.reject(new Error("not used"));
  return {
    region: "us-east-1",
    listFunctionsPage: async ({ marker }) => {
      calls.push(`page ${marker ?? 0}`);
      const from = Number(marker ?? 0);
      const next = from + 50 < all.length ? String(from + 50) : null;
      return { functions: all.slice(from, from + 50), nextMarker: next };
    },
    getFunctionConfiguration: async (name, qualifier) => {
      calls.push(`get ${name}:${qualifier}`);
      const c = all.find((x) => x.name === name && x.version === qualifier);
      if (!c) throw new FleetscopeError("NotFound", `no ${name}:${qualifier}`);
      return c;
    },
    listFunctions: unused,
    getFunction: unused,
    listVersions: unused,
    listAliases: unused,
    getAlias: unused,
    updateAlias: unused,
    getAccountSettings: unused,
    getReservedConcurrency: unused,
    listProvisionedConcurrency: unused,
    listTags: unused,
  };
}

const liveOf = (functions: number) =>
  Array.from({ length: functions }, (_, f) => `${ACCOUNT}:fn-${String(f).padStart(4, "0")}:4`);

describe("the published-version inventory", () => {
  it("reads a few unknown versions one call each", async () => {
    const calls: string[] = [];
    const live = liveOf(3);
    const r = await readLiveVersions(fakeLambda(3, calls), memoizedVersionConfigs(null), 3, live, 0);
    expect(calls).toEqual(["get fn-0000:4", "get fn-0001:4", "get fn-0002:4"]);
    expect([...r.known.keys()].sort()).toEqual(live);
    expect(r.gaps).toEqual([]);
  });

  it("spreads a large first inventory over runs, never more than its budget of pages a run", async () => {
    const F = 1000;
    const lambda = fakeLambda(F, []);
    const store = memoizedVersionConfigs(null);
    const live = liveOf(F);
    const budget = pagesPerRun(F);
    expect(budget).toBe(20);
    let runs = 0;
    let unread = live.length;
    while (unread > 0) {
      const calls: string[] = [];
      const r = await readLiveVersions(fakeLambda(F, calls), store, F, live, runs * 900_000);
      expect(calls.length).toBeLessThanOrEqual(budget);
      expect(r.unread).toBeLessThan(unread);
      if (r.unread > 0) expect(r.gaps[0]).toMatch(/runtimes of \d+ of 1000 published versions not read yet/);
      unread = r.unread;
      runs++;
    }
    // 5,000 configurations at 50 a page, 20 pages a run.
    expect(runs).toBe(5);
    const calls: string[] = [];
    const again = await readLiveVersions(lambda, store, F, live, runs * 900_000);
    expect(again.known.size).toBe(F);
    expect(calls).toEqual([]);
  });

  it("starts over when the stored marker fails, and says so", async () => {
    const F = 1000;
    const store = memoizedVersionConfigs(null);
    await readLiveVersions(fakeLambda(F, []), store, F, liveOf(F), 0);
    const failing = fakeLambda(F, []);
    failing.listFunctionsPage = () => Promise.reject(new FleetscopeError("InvalidInput", "bad marker"));
    const r = await readLiveVersions(failing, store, F, liveOf(F), 1000);
    expect(r.gaps.some((g) => g.includes("bad marker"))).toBe(true);
    const calls: string[] = [];
    await readLiveVersions(fakeLambda(F, calls), store, F, liveOf(F), 2000);
    expect(calls[0]).toBe("page 0");
  });

  it("stops seeking a version that no longer exists", async () => {
    const calls: string[] = [];
    const gone = `${ACCOUNT}:fn-0000:9`;
    const store = memoizedVersionConfigs(null);
    const r = await readLiveVersions(fakeLambda(2, calls), store, 2, [gone], 0);
    expect(r.unread).toBe(0);
    expect(r.gaps).toEqual([]);
    await readLiveVersions(fakeLambda(2, calls), store, 2, [gone], 60_000);
    expect(calls).toEqual(["get fn-0000:9"]);
  });
});
