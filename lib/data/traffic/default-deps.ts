import "server-only";
import { alarmsFor } from "@/lib/aws/cloudwatch-alarms";
import { cloudWatchFor } from "@/lib/aws/cloudwatch";
import { lambdaFor } from "@/lib/aws/lambda";
import { logsFor } from "@/lib/aws/logs";
import { env } from "@/lib/config/env";
import { store } from "@/lib/store";
import type { TrafficDeps } from "./deps";

export const defaultTrafficDeps = (): TrafficDeps => ({
  lambda: lambdaFor,
  cloudwatch: cloudWatchFor,
  alarms: alarmsFor,
  logs: logsFor,
  store: store(),
  now: Date.now,
  regions: env().regions,
  readOnly: env().readOnly,
});
