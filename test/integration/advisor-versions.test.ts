/**
 * Published versions' configurations are read once and kept in the database: a restarted console (a new
 * process memory over the same database) asks AWS for none of them again, and judges them the same.
 * Counted at the sandbox, over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advisorWindow } from "@/lib/data/advisor";
import { collectRegionLive, type RegionCollection } from "@/lib/data/advisor/collect-live";
import type { Sandbox } from "@fleetscope/sandbox";
import { openDatabase, type Db } from "@/lib/store/database";
import { createVersionConfigStore, memoizedVersionConfigs } from "@/lib/store/version-configs";
import { startTestSandbox, TEST_NOW } from "@fleetscope/sandbox/testing/sandbox";
import { sandboxPorts } from "./advisor-ports";

const REGION = "us-east-1";
const WINDOW = advisorWindow(TEST_NOW, 1 / 24);

let sandbox: Sandbox;
let db: Db;

beforeAll(async () => {
  sandbox = await startTestSandbox({ functionsPerRegion: 30, regions: [REGION] });
  db = openDatabase(":memory:");
});

afterAll(async () => {
  await db?.close();
  await sandbox?.close();
});

const stats = async () =>
  (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()) as Record<string, number>;
const resetStats = () => fetch(`${sandbox.url}/_sandbox/stats/reset`, { method: "POST" });

/** One collection as a freshly started process would run it: empty memory, the shared database behind it. */
async function runAsNewProcess(): Promise<{ collection: RegionCollection; calls: Record<string, number> }> {
  await resetStats();
  const collection = await collectRegionLive(sandboxPorts(sandbox.url)(REGION), WINDOW, {
    insightsDeadlineMs: 120_000,
    versionConfigs: memoizedVersionConfigs(createVersionConfigStore(db)),
  });
  return { collection, calls: await stats() };
}

const liveVersions = (c: RegionCollection) =>
  c.inputs.flatMap((i) => i.versions.map((v) => `${v.name}:${v.version}:${v.runtime}`)).sort();

describe("published versions' configurations", () => {
  it("are read on the first run, then come from the database after a restart", async () => {
    const first = await runAsNewProcess();
    expect(first.collection.gaps).toEqual([]);
    const versions = liveVersions(first.collection);
    // Aliased traffic runs on published versions: the fleet has some, and their runtimes are known.
    expect(versions.length).toBeGreaterThan(10);
    const listed = first.calls["lambda.ListFunctions"] ?? 0;
    const readOne = first.calls["lambda.GetFunctionConfiguration"] ?? 0;
    // 30 functions fit one $LATEST page; reading the versions took more pages or per-version calls.
    expect(listed - 1 + readOne).toBeGreaterThan(0);

    const restarted = await runAsNewProcess();
    expect(liveVersions(restarted.collection)).toEqual(versions);
    expect(restarted.calls["lambda.ListFunctions"]).toBe(1);
    expect(restarted.calls["lambda.GetFunctionConfiguration"] ?? 0).toBe(0);
  }, 300_000);
});
