/**
 * At F functions (default 1,000): wall time of one overview refresh, and how much of it is NOT spent waiting on
 * the data source (no AWS call in flight). Baseline in the same run: the time of the AWS calls alone.
 * Usage: npm run bench -- overview-processing [F]
 */
import { loadFleetOverview } from "@/lib/data/telemetry/overview";
import { LIVE, WaitClock, benchBucket, benchDeps, benchScopes, startBenchSandbox } from "./_overview-harness";

async function main() {
  const F = Number(process.argv[2] ?? 1000);
  const sb = await startBenchSandbox(F);
  try {
    const bucket = benchBucket(15);
    // Warm the sandbox's own caches so both measurements see the same data-source speed.
    await loadFleetOverview(benchScopes(sb), bucket, benchDeps(sb), LIVE);
    const clock = new WaitClock();
    const t = performance.now();
    const o = await loadFleetOverview(benchScopes(sb), bucket, benchDeps(sb, clock), LIVE);
    const total = performance.now() - t;
    const processing = total - clock.waited;
    console.log(
      JSON.stringify({
        bench: "overview-processing",
        F,
        rows: o.table.rows.length,
        totalMs: Math.round(total),
        waitingOnAwsMs: Math.round(clock.waited),
        processingMs: Math.round(processing),
        processingShare: +(processing / total).toFixed(3),
        under25pct: processing / total < 0.25,
      }),
    );
  } finally {
    await sb.close();
  }
}

void main();
