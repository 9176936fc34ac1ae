/** Shared by the overview benchmarks: a sandbox of F functions and telemetry deps wired to it (no env, no cache sharing). */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { createCloudWatchPort, type CloudWatchPort } from "@/lib/aws/cloudwatch";
import { createLambdaPort, type LambdaPort } from "@/lib/aws/lambda";
import { createLogsPort, type LogsPort } from "@/lib/aws/logs";
import { parseAccountId } from "@/lib/core/accounts";
import { bucketRange } from "@/lib/core/time/bucket";
import { choosePeriod } from "@/lib/core/time/period";
import { epochMs } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import type { TelemetryDeps } from "@/lib/data/telemetry/deps";
import { startSandbox, type Sandbox } from "@fleetscope/sandbox";
import { openDatabase } from "@/lib/store/database";
import { createInventoryStore } from "@/lib/store/inventory";
import { createTelemetryStore } from "@/lib/store/telemetry";

export const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
export const REGION = "us-east-1";

/** The bench sandbox's one account in REGION: what the overview reads (live: the console's own credentials). */
export const benchScopes = (sb: Sandbox) => [
  { account: parseAccountId(sb.account.accountId), region: REGION },
];

export function startBenchSandbox(functions: number): Promise<Sandbox> {
  return startSandbox({ port: 0, seed: 7, now: () => NOW, functionsPerRegion: functions, regions: [REGION] });
}

export function benchBucket(minutes: number) {
  const now = epochMs(NOW);
  const w = { start: epochMs(NOW - minutes * 60_000), end: now };
  return bucketRange(w, now, choosePeriod(w, now));
}

/** Wall time during which at least one AWS call was in flight: "waiting on the data source". */
export class WaitClock {
  private inflight = 0;
  private since = 0;
  waited = 0;
  async around<T>(call: () => Promise<T>): Promise<T> {
    if (this.inflight++ === 0) this.since = performance.now();
    try {
      return await call();
    } finally {
      if (--this.inflight === 0) this.waited += performance.now() - this.since;
    }
  }
}

function instrument<T extends object>(port: T, clock: WaitClock | undefined): T {
  if (!clock) return port;
  return new Proxy(port, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== "function") return v;
      return (...args: unknown[]) =>
        clock.around(() => (v as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });
}

/** Today's live path (every view asks AWS), which these benchmarks measure; store-backed views read the store. */
export const LIVE = { source: "live" } as const;

/**
 * Telemetry deps wired to the sandbox. `db` is the store store-backed views read (default: a fresh, empty
 * in-memory one, which the live path never touches).
 */
export function benchDeps(
  sb: Pick<Sandbox, "url">,
  clock?: WaitClock,
  db = openDatabase(":memory:"),
): TelemetryDeps {
  const common = {
    endpoint: sb.url,
    region: REGION,
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  };
  const lambda: LambdaPort = instrument(createLambdaPort(new LambdaClient(common), REGION), clock);
  const cloudwatch: CloudWatchPort = instrument(
    createCloudWatchPort(new CloudWatchClient(common), REGION),
    clock,
  );
  const logs: LogsPort = instrument(createLogsPort(new CloudWatchLogsClient(common), REGION), clock);
  const reader = { telemetry: createTelemetryStore(db), inventory: createInventoryStore(db) };
  return {
    lambda: () => lambda,
    cloudwatch: () => cloudwatch,
    logs: () => logs,
    store: () => reader,
    liveCache: createCache({ ttlMs: 30_000, maxEntries: 100 }),
    settledCache: createCache({ ttlMs: 600_000, maxEntries: 100 }),
    now: () => epochMs(NOW),
    insightsTimeoutMs: 600_000,
  };
}

export const pick = (stats: Record<string, number>, op: string) => stats[op] ?? 0;
