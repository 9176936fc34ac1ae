/**
 * What the traffic use-cases need from the outside world, injected so the integration tests can point them at
 * a sandbox and an in-memory store. `defaultTrafficDeps()` wires the real adapters and the process store.
 */
import type { AlarmPort } from "@/lib/aws/cloudwatch-alarms";
import type { CloudWatchPort } from "@/lib/aws/cloudwatch";
import type { LambdaPort } from "@/lib/aws/lambda";
import type { LogsPort } from "@/lib/aws/logs";
import type { Store } from "@/lib/store";

export interface TrafficDeps {
  lambda: (region: string) => LambdaPort;
  cloudwatch: (region: string) => CloudWatchPort;
  alarms: (region: string) => AlarmPort;
  /** Logs Insights, for per-version cold starts (no metric has them). */
  logs: (region: string) => LogsPort;
  store: Store;
  now: () => number;
  regions: readonly string[];
  readOnly: boolean;
}
