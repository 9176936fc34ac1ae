/**
 * The forward step and the backfill run side by side on one coverage interval: whichever finishes first, the
 * coverage afterwards holds both, so no minute is read twice (the restart test counts that at the sandbox).
 */
import { describe, expect, it } from "vitest";
import { parseAccountId } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import type { LogsPort, InsightsResult } from "@/lib/aws/logs";
import { createBudget } from "@/lib/collector/budget";
import { COLLECTOR_LEASE } from "@/lib/collector/collector";
import { backfillStep, DEFAULT_SETTINGS, forwardStep, type RegionContext } from "@/lib/collector/region";
import { createInsightsScheduler } from "@/lib/collector/scheduler";
import { fencedWriter } from "@/lib/collector/writer";
import { createStore } from "@/lib/store";
import { openDatabase } from "@/lib/store/database";
import { config, NOW } from "../core/advisor-fixtures";
import type { AccountSettings } from "@/lib/core/lambda/types";

const MINUTE = 60_000;
const REGION = "us-east-1";
const SCOPE: Scope = { account: parseAccountId("111111111111"), region: REGION };

/** A logs port whose answers the test releases one by one, in the order it chooses. */
function heldLogs() {
  const waiting: { window: { start: number }; release: () => void }[] = [];
  const empty: InsightsResult = {
    rows: [],
    queries: 1,
    missingGroups: [],
    bytesScanned: 0,
    truncated: false,
  };
  const port: LogsPort = {
    region: REGION,
    runInsights: (_q, _groups, window) =>
      new Promise((resolve) => waiting.push({ window, release: () => resolve(empty) })),
    filterLogEvents: async () => [],
  };
  return { port, waiting };
}

async function context(logs: LogsPort): Promise<RegionContext> {
  const store = createStore(openDatabase(":memory:"));
  await store.inventory.putAccount(SCOPE, { region: REGION } as AccountSettings, NOW);
  await store.inventory.putConfigs(SCOPE, [config()], NOW);
  const lease = await store.leases.acquire(COLLECTOR_LEASE, "test", NOW, 60_000);
  return {
    scope: SCOPE,
    ports: { logs } as RegionContext["ports"],
    telemetry: store.telemetry,
    inventory: store.inventory,
    budget: createBudget(10, 60, NOW),
    scheduler: createInsightsScheduler({ maxConcurrent: 4 }),
    settings: { ...DEFAULT_SETTINGS, horizonMs: 2 * 60 * MINUTE },
    write: fencedWriter(store, () => lease),
    charge: async () => undefined,
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe("collector coverage", () => {
  for (const order of ["backfill first", "forward first"] as const)
    it(`keeps both the forward and the backfilled minutes when the ${order.split(" ")[0]} step finishes first`, async () => {
      const { port, waiting } = heldLogs();
      const ctx = await context(port);
      const covered = { from: NOW - 30 * MINUTE, to: NOW - 3 * MINUTE };
      await ctx.telemetry.setCoverage(SCOPE, "logs", 60, covered.from, covered.to, NOW);

      const forward = forwardStep(ctx, "logs", NOW);
      const backfill = backfillStep(ctx, "logs", NOW);
      while (waiting.length < 2) await flush();
      const [fwd, back] = [...waiting].sort((a, b) => b.window.start - a.window.start);
      for (const q of order === "backfill first" ? [back!, fwd!] : [fwd!, back!]) {
        q.release();
        await flush();
      }
      const [f, b] = await Promise.all([forward, backfill]);

      expect(b).toEqual({ start: covered.from - DEFAULT_SETTINGS.logsChunkMs, end: covered.from });
      expect(f).toEqual({ start: covered.to, end: covered.to + MINUTE });
      const after = (await ctx.telemetry.coverage(SCOPE, "logs", 60))!;
      expect([after.from, after.to]).toEqual([b!.start, f!.end]);
    });
});
