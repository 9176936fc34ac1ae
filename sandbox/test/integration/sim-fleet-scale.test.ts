/**
 * The fleet generator at the largest size the sandbox offers. How fast it generates is a benchmark
 * (`npm run bench -- sandbox-simulator`), not a test.
 */
import { describe, expect, it } from "vitest";
import { generateAccount } from "../../src/fleet/generate";
import { PLANTED } from "../../src/fleet/planted";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

describe("scale", () => {
  it("generates 5,000 unique functions per region, the planted ones among them", () => {
    const a = generateAccount({ seed: 1, nowMs: NOW, functionsPerRegion: 5000 });
    // The fleet regions (a Lambda@Edge replica region, fleet/edge.ts, holds no function).
    for (const region of ["us-east-1", "eu-west-1"]) {
      const functions = [...(a.regions.get(region)?.functions.values() ?? [])];
      expect(functions).toHaveLength(5000);
      expect(new Set(functions.map((f) => f.name)).size).toBe(5000);
    }
    for (const p of PLANTED) expect(a.regions.get(p.region)?.functions.has(p.name)).toBe(true);
  });
});
