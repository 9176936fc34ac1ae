/** The adapters the trace use-cases call, injectable for tests; every AWS request is reported to the meter. */
import { systemClock } from "@/lib/config/clock";
import "server-only";
import { lambdaFor, type LambdaPort } from "@/lib/aws/lambda";
import { logsFor, type LogsPort } from "@/lib/aws/logs";
import { logEventsFor, type LogEventsPort } from "@/lib/aws/logs-events";
import { xrayFor, type XRayPort } from "@/lib/aws/xray";
import { env } from "@/lib/config/env";
import type { RequestMeter } from "./meter";

export interface TraceDeps {
  xray(region: string, meter: RequestMeter): XRayPort;
  logs(region: string, meter: RequestMeter): LogEventsPort;
  /** Lambda calls are not metered by the port (it pages internally); callers record them. */
  lambda(region: string): LambdaPort;
  /** Logs Insights, for Transaction Search's `aws/spans` (metered through runInsights' onRequest); optional. */
  insights?(region: string): LogsPort;
  regions(): readonly string[];
  now(): number;
}

export const defaultTraceDeps = (): TraceDeps => ({
  xray: (region, meter) => xrayFor(region, { onRequest: (op) => meter.record(op) }),
  logs: (region, meter) => logEventsFor(region, { onRequest: (op) => meter.record(op) }),
  lambda: lambdaFor,
  insights: (region) => logsFor(region),
  regions: () => env().regions,
  now: systemClock.now,
});
