import { describe, expect, it } from "vitest";
import { slotRange, slotSpan, zoomRange } from "@/lib/core/charts/zoom";

const MIN = 60_000;
const w = { start: 10 * MIN, end: 70 * MIN, step: MIN };

describe("zoomRange", () => {
  it("snaps a drag to whole slots, in either direction", () => {
    const z = zoomRange(w, 20.5 * MIN, 25.2 * MIN);
    expect(z).toEqual({ kind: "custom", from: 20 * MIN, to: 26 * MIN });
    expect(zoomRange(w, 25.2 * MIN, 20.5 * MIN)).toEqual(z);
  });

  it("is no zoom under two slots", () => {
    expect(zoomRange(w, 20.1 * MIN, 20.9 * MIN)).toBeNull();
    expect(zoomRange(w, 20.9 * MIN, 21.1 * MIN)).toEqual({ kind: "custom", from: 20 * MIN, to: 22 * MIN });
  });

  it("stays inside the chart's window", () => {
    const cut = { start: 10.5 * MIN, end: 69.5 * MIN, step: MIN };
    expect(zoomRange(cut, 10.6 * MIN, 69.4 * MIN)).toEqual({
      kind: "custom",
      from: 10.5 * MIN,
      to: 69.5 * MIN,
    });
  });
});

describe("slotRange", () => {
  it("is the clicked slot", () => {
    expect(slotSpan(w, 33.4 * MIN)).toEqual({ from: 33 * MIN, to: 34 * MIN });
    expect(slotRange(w, 33.4 * MIN)).toEqual({ kind: "custom", from: 33 * MIN, to: 34 * MIN });
  });
});
