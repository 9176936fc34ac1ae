/**
 * The browser tests' picks and preconditions replayed against sandboxes pinned at many clock positions
 * (test/support/clock-replay.ts): failures of the picks the tests used before they picked by identity (the
 * baseline, same run) against failures of today's picks.
 * Usage: npm run bench -- clock-replay [positions]   (default 240: ten days, every hour, minutes and seconds spread)
 * Prints one JSON line: {"bench":"clock-replay", positions, before: {check: failures}, after: {check: failures}}.
 */
import { clockPositions, replayAt } from "@/test/support/clock-replay";

const LEGACY = "legacy trace: first partial trace is the planted one";

async function main() {
  const positions = clockPositions(Date.UTC(2026, 10, 20, 0, 0, 0), Number(process.argv[2] ?? 240));
  const before: Record<string, number> = { "trace: planted malformed trace": 0 };
  const after: Record<string, number> = {};
  const examples: Record<string, string> = {};
  const t = performance.now();
  for (const at of positions) {
    const result = await replayAt(at, { legacy: true });
    for (const [check, failure] of Object.entries(result)) {
      if (check === LEGACY) {
        if (failure) before["trace: planted malformed trace"]! += 1;
        if (failure) examples[`before ${new Date(at).toISOString()}`] ??= failure;
        continue;
      }
      after[check] = (after[check] ?? 0) + (failure ? 1 : 0);
      if (failure) examples[`after ${check} ${new Date(at).toISOString()}`] = failure;
    }
  }
  console.log(
    JSON.stringify({
      bench: "clock-replay",
      positions: positions.length,
      wallMs: Math.round(performance.now() - t),
      before,
      after,
      failedChecksAfter: Object.values(after).reduce((a, b) => a + b, 0),
      examples: Object.fromEntries(Object.entries(examples).slice(0, 10)),
    }),
  );
}

void main();
