/**
 * Traffic the fleet generator can use where a planted scenario depends on traffic shape, not only behaviour.
 * Measured with this simulator (24 h, two seeds): see test/integration/sandbox-sim/planted.test.ts.
 */
import type { TrafficProfile } from "../fleet/model";

/**
 * high-cold-start: environments are reclaimed after 10 idle minutes, so cold starts need gaps longer than that
 * between bursts. A near-idle baseline with frequent large bursts gives 20–40% cold starts; a baseline of
 * 1.5/min keeps one environment warm most of the day (≈ 3% cold).
 */
export const HIGH_COLD_START_TRAFFIC: Omit<TrafficProfile, "viaAlias"> = {
  peakPerMinute: 0.05,
  dailyDip: 0.5,
  burstChance: 0.1,
  burstFactor: 40,
};
