/**
 * `npm run advise -- --collect` (lib/data/advisor/collect-first.ts): the collector is ticked until the store
 * covers the Advisor's window, within a bound; while another process holds the collector lease, its progress is
 * awaited instead.
 */
import { describe, expect, it } from "vitest";
import { parseAccountId } from "@/lib/core/accounts";
import { advisorWindow } from "@/lib/data/advisor";
import { collectUntilCovered, windowCovered } from "@/lib/data/advisor/collect-first";
import { openDatabase } from "@/lib/store/database";
import { createInventoryStore } from "@/lib/store/inventory";
import { createTelemetryStore } from "@/lib/store/telemetry";

const REGION = "us-east-1";
const SCOPE = { account: parseAccountId("111111111111"), region: REGION };
const H = 3_600_000;
const NOW = Date.UTC(2026, 10, 23, 12);
const WINDOW = advisorWindow(NOW, 1); // the last 24 h

function store() {
  const db = openDatabase(":memory:");
  return { telemetry: createTelemetryStore(db), inventory: createInventoryStore(db) };
}

/** A fake collector whose every tick backfills both sources `stepH` hours further back (when it leads). */
function collector(s: ReturnType<typeof store>, stepH: number, leader = true) {
  let from = NOW;
  let ticks = 0;
  return {
    tick: async () => {
      ticks++;
      if (!leader) return;
      from = Math.max(WINDOW.start, from - stepH * H);
      for (const source of ["metrics", "logs"] as const)
        await s.telemetry.setCoverage(SCOPE, source, 60, from, NOW, NOW);
    },
    status: () => ({
      leader,
      ticks,
      lastTickAt: null,
      insights: { allowance: 0, running: 0, waiting: 0, throttled: 0 },
    }),
    ticks: () => ticks,
  };
}

describe("collect until covered", () => {
  it("ticks until both sources cover the window, then stops", async () => {
    const s = store();
    const c = collector(s, 6);
    expect((await windowCovered(s, [SCOPE], WINDOW, NOW)).done).toBe(false);
    const r = await collectUntilCovered({
      collector: c,
      covered: () => windowCovered(s, [SCOPE], WINDOW, NOW),
      timeoutMs: 60_000,
      sleep: async () => undefined,
    });
    expect(r).toMatchObject({
      done: true,
      ticks: 4,
      leader: true,
      progress: "111111111111/us-east-1: 24 h of 24 h",
    });
  });

  it("gives up at the bound with the progress so far, waiting (not spinning) on another collector", async () => {
    const s = store();
    const c = collector(s, 6, false);
    let clock = NOW;
    const slept: number[] = [];
    const r = await collectUntilCovered({
      collector: c,
      covered: () => windowCovered(s, [SCOPE], WINDOW, NOW),
      timeoutMs: 10_000,
      idlePauseMs: 2_000,
      now: () => clock,
      sleep: async (ms) => {
        slept.push(ms);
        clock += ms;
      },
    });
    expect(r).toMatchObject({ done: false, leader: false, progress: "111111111111/us-east-1: 0 s of 24 h" });
    expect(slept).toEqual([2_000, 2_000, 2_000, 2_000, 2_000]);
  });
});
