import { describe, expect, it } from "vitest";
import { createInsightsScheduler } from "@/lib/collector/scheduler";
import { FleetscopeError } from "@/lib/core/errors";

const throttled = () =>
  new FleetscopeError("Throttled", "LimitExceededException: too many concurrent queries");

describe("Insights scheduler", () => {
  it("never runs more jobs at once than its allowance", async () => {
    const s = createInsightsScheduler({ maxConcurrent: 2, sleep: async () => undefined });
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        s.run(async () => {
          peak = Math.max(peak, ++running);
          await new Promise((r) => setTimeout(r, 2));
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
  });

  it("halves its allowance on a quota error, retries after a growing pause, and wins it back", async () => {
    const pauses: number[] = [];
    const s = createInsightsScheduler({
      maxConcurrent: 8,
      firstPauseMs: 100,
      sleep: async (ms) => void pauses.push(ms),
    });
    let calls = 0;
    const value = await s.run(async () => {
      if (++calls <= 2) throw throttled();
      return "done";
    });
    expect(value).toBe("done");
    expect(pauses).toEqual([100, 200]);
    expect(s.state()).toMatchObject({ allowance: 2, throttled: 2 });
    for (let i = 0; i < 10; i++) await s.run(async () => undefined);
    expect(s.state().allowance).toBe(4);
  });

  it("gives up after maxAttempts and passes other errors through at once", async () => {
    const s = createInsightsScheduler({ maxConcurrent: 1, maxAttempts: 3, sleep: async () => undefined });
    await expect(s.run(async () => Promise.reject(throttled()))).rejects.toThrow(/LimitExceeded/);
    let calls = 0;
    await expect(
      s.run(async () => {
        calls++;
        throw new FleetscopeError("AccessDenied", "no");
      }),
    ).rejects.toThrow("no");
    expect(calls).toBe(1);
  });
});
