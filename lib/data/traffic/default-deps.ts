import "server-only";
import { alarmsFor } from "@/lib/aws/cloudwatch-alarms";
import { cloudWatchFor } from "@/lib/aws/cloudwatch";
import { lambdaFor } from "@/lib/aws/lambda";
import { logsFor } from "@/lib/aws/logs";
import { env } from "@/lib/config/env";
import { store } from "@/lib/store";
import { parseConfiguredRegion } from "../validate";
import type { TrafficDeps } from "./deps";

// Every AWS call of a traffic view or change goes to a configured region (a mutation elsewhere is refused).
const configured =
  <T>(client: (region: string) => T) =>
  (region: string): T =>
    client(parseConfiguredRegion(region, env().regions));

export const defaultTrafficDeps = (): TrafficDeps => ({
  lambda: configured(lambdaFor),
  cloudwatch: configured(cloudWatchFor),
  alarms: configured(alarmsFor),
  logs: configured(logsFor),
  store: store(),
  now: Date.now,
  regions: env().regions,
  readOnly: env().readOnly,
});
