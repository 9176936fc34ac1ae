/** The `npm run collector` command's arguments and `--once` report, and the horizon `advise --collect` asks for. */
import { describe, expect, it } from "vitest";
import { isFleetscopeError } from "@/lib/core/errors";
import { backfillHoursFor, collectOnce, parseCollectorArgs } from "@/lib/data/collector/cli";

const H = 3_600_000;
const NOW = Date.UTC(2026, 10, 23, 12);

const usageError = (argv: string[]) => {
  try {
    parseCollectorArgs(argv);
  } catch (e) {
    expect(isFleetscopeError(e) && e.code).toBe("InvalidInput");
    return (e as Error).message;
  }
  throw new Error(`expected ${argv.join(" ")} to be refused`);
};

describe("parseCollectorArgs", () => {
  it("reads --once and --help", () => {
    expect(parseCollectorArgs([])).toEqual({ once: false, help: false });
    expect(parseCollectorArgs(["--once"])).toEqual({ once: true, help: false });
    expect(parseCollectorArgs(["-h"]).help).toBe(true);
  });

  it("refuses an unknown option or argument instead of starting a long-running collector", () => {
    expect(usageError(["--bogus"])).toBe("unknown option --bogus");
    expect(usageError(["--once", "--onec"])).toBe("unknown option --onec");
    expect(usageError(["--once=true"])).toBe("unknown option --once=true");
    expect(usageError(["once"])).toBe("unknown argument once");
  });
});

describe("collectOnce", () => {
  // Like the real collector: stop() gives the lease up, so status() after it always says "not leader".
  const fake = (leaderDuringTick: boolean, tick: () => Promise<void> = async () => undefined) => {
    let leader = false;
    const calls: string[] = [];
    return {
      calls,
      collector: {
        tick: async () => {
          leader = leaderDuringTick;
          await tick();
        },
        stop: async () => {
          calls.push("stop");
          leader = false;
        },
        status: () => ({ leader, ticks: 0, lastTickAt: null, insights: {}, accounts: [] }),
      },
    };
  };

  it("reports a round it collected as collected", async () => {
    expect(await collectOnce(fake(true).collector)).toBe("collected one round");
  });

  it("reports a round another collector's lease prevented", async () => {
    expect(await collectOnce(fake(false).collector)).toBe("another collector holds the lease; nothing done");
  });

  it("stops the collector when the round throws", async () => {
    const f = fake(true, () => Promise.reject(new Error("boom")));
    await expect(collectOnce(f.collector)).rejects.toThrow("boom");
    expect(f.calls).toEqual(["stop"]);
  });
});

describe("backfillHoursFor", () => {
  it("keeps the configured horizon when it covers the window", () => {
    expect(backfillHoursFor(NOW - 20 * H, NOW, 24)).toEqual({ hours: 24, note: null });
  });

  it("stretches the horizon to the window, and says so", () => {
    const r = backfillHoursFor(NOW - 48 * H, NOW, 24);
    expect(r.hours).toBe(48);
    expect(r.note).toContain("FLEETSCOPE_COLLECTOR_BACKFILL_HOURS is 24");
  });

  it("caps the horizon at 14 days, and says so rather than clamping silently", () => {
    const r = backfillHoursFor(NOW - 30 * 24 * H, NOW, 24);
    expect(r.hours).toBe(336);
    expect(r.note).toMatch(/needs 720 h .* at most 336 h \(14 days\)/);
  });
});
