import { describe, expect, it } from "vitest";
import { coldStartKinds } from "@/lib/core/charts/cold-start-kinds";
import type { SeriesPoint } from "@/lib/core/charts/series";
import { epochMs } from "@/lib/core/units";

const pts = (...v: (number | null)[]): SeriesPoint[] => v.map((x, i) => ({ t: epochMs(i * 60_000), v: x }));

describe("coldStartKinds", () => {
  it("splits init and SnapStart restores, each a share of the slot's REPORT lines", () => {
    const k = coldStartKinds({ inits: pts(1, 0, 0), restores: pts(0, 2, 0), reports: pts(10, 4, 0) });
    expect(k.lines.map((l) => l.key)).toEqual(["init", "restore"]);
    expect(k.lines[0]?.points.map((p) => p.v)).toEqual([0.1, 0, null]);
    expect(k.lines[1]?.points.map((p) => p.v)).toEqual([0, 0.5, null]);
    expect(k.restoreNote).toBeNull();
  });

  it("no restore at all, fully collected: no restore line, nothing to say", () => {
    const k = coldStartKinds({ inits: pts(1, 2), restores: pts(0, 0), reports: pts(10, 10) });
    expect(k.lines.map((l) => l.key)).toEqual(["init"]);
    expect(k.restoreNote).toBeNull();
  });

  it("restores not collected anywhere: absent, with the reason", () => {
    const k = coldStartKinds({ inits: pts(1, 2), restores: pts(null, null), reports: pts(10, 10) });
    expect(k.lines.map((l) => l.key)).toEqual(["init"]);
    expect(k.restoreNote).toMatch(/not collected for this range/);
  });

  it("restores not collected in part: gaps there (not zeros), and says how many", () => {
    const k = coldStartKinds({ inits: pts(0, 0, 0), restores: pts(null, 1, 0), reports: pts(5, 5, 5) });
    expect(k.lines[1]?.points.map((p) => p.v)).toEqual([null, 0.2, 0]);
    expect(k.restoreNote).toMatch(/1 of 3 points/);
  });
});
