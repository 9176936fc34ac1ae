import { describe, expect, it } from "vitest";
import { mapWithConcurrency } from "@/lib/core/concurrency";

/** A task that resolves when released, so the test controls completion order. */
function gate() {
  let release = () => {};
  const done = new Promise<void>((resolve) => (release = resolve));
  return { done, release };
}

describe("mapWithConcurrency", () => {
  it("keeps input order when calls finish out of order and never exceeds the limit", async () => {
    const gates = [gate(), gate(), gate(), gate(), gate()];
    let inFlight = 0;
    let peak = 0;
    const run = mapWithConcurrency([10, 20, 30, 40, 50], 2, async (item, index) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await gates[index]!.done;
      inFlight--;
      return item + index;
    });
    for (const i of [1, 0, 4, 3, 2]) {
      gates[i]!.release();
      await new Promise((r) => setTimeout(r, 0));
    }
    gates.forEach((g) => g.release());
    await expect(run).resolves.toEqual([10, 21, 32, 43, 54]);
    expect(peak).toBe(2);
  });

  it("runs one at a time for a limit below 1, and handles no items", async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapWithConcurrency(["a", "b", "c"], 0, async (s) => {
      peak = Math.max(peak, ++inFlight);
      await Promise.resolve();
      inFlight--;
      return s.toUpperCase();
    });
    expect(out).toEqual(["A", "B", "C"]);
    expect(peak).toBe(1);
    await expect(mapWithConcurrency([], 4, async () => 1)).resolves.toEqual([]);
  });

  it("rejects the whole call on the first failure", async () => {
    const run = mapWithConcurrency([1, 2, 3], 3, async (n) => {
      if (n === 2) throw new Error("batch 2 failed");
      return n;
    });
    await expect(run).rejects.toThrow("batch 2 failed");
  });
});
