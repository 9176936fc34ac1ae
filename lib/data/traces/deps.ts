/**
 * The adapters the trace use-cases call, injectable for tests; every AWS request is reported to the meter.
 * Each takes the account read: its own role, or (OAM) the monitoring account that reads its telemetry.
 */
import { systemClock } from "@/lib/config/clock";
import "server-only";
import { lambdaFor, type LambdaPort } from "@/lib/aws/lambda";
import { logsFor, DEFAULT_TIMING, type LogsPort } from "@/lib/aws/logs";
import { logEventsFor, type LogEventsPort } from "@/lib/aws/logs-events";
import { xrayFor, type XRayPort } from "@/lib/aws/xray";
import { env } from "@/lib/config/env";
import type { AccountTarget } from "@/lib/core/accounts";
import type { RequestMeter } from "./meter";

export interface TraceDeps {
  xray(region: string, meter: RequestMeter, account: AccountTarget): XRayPort;
  logs(region: string, meter: RequestMeter, account: AccountTarget): LogEventsPort;
  /** Lambda calls are not metered by the port (it pages internally); callers record them. */
  lambda(region: string, account: AccountTarget): LambdaPort;
  /** Logs Insights, for Transaction Search's `aws/spans` (metered through runInsights' onRequest); optional. */
  insights?(region: string, account: AccountTarget): LogsPort;
  regions(): readonly string[];
  now(): number;
}

export const defaultTraceDeps = (): TraceDeps => ({
  xray: (region, meter, account) => xrayFor(region, { onRequest: (op) => meter.record(op) }, account),
  logs: (region, meter, account) => logEventsFor(region, { onRequest: (op) => meter.record(op) }, account),
  lambda: (region, account) => lambdaFor(region, account),
  insights: (region, account) => logsFor(region, DEFAULT_TIMING, account),
  regions: () => env().regions,
  now: systemClock.now,
});
