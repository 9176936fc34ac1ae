/**
 * Whatever the clock, the browser tests find what they look for: their picks (test/support/planted-picks.ts) and
 * the preconditions of their assertions hold at every replayed clock position — every hour of two days, the
 * minute and second spread, the turn of an hour and of a minute included. `npm run bench -- clock-replay` runs
 * more positions and compares with the picks the tests used before.
 */
import { describe, expect, it } from "vitest";
import { clockPositions, replayAt } from "@/test/support/clock-replay";

const POSITIONS = clockPositions(Date.UTC(2026, 10, 21, 0, 0, 0), 48);

describe("browser-test picks at any clock position", () => {
  it.each(POSITIONS.map((at) => [new Date(at).toISOString(), at] as const))("%s", async (_, at) => {
    const failures = Object.entries(await replayAt(at)).filter(([, failure]) => failure !== null);
    expect(Object.fromEntries(failures)).toEqual({});
  });
});
