/**
 * What collecting one region's evidence produces, whichever path read it: the live path (collect-live.ts, AWS
 * read at request time) or the store path (collect-store.ts, the collector's rollups). The rules see the same
 * AdvisorInput either way; only the store path says how much of the asked window it could judge.
 */
import type { CloudWatchPort } from "@/lib/aws/cloudwatch";
import type { MetricListPort } from "@/lib/aws/cloudwatch-list-metrics";
import type { LambdaPort } from "@/lib/aws/lambda";
import type { LogsPort } from "@/lib/aws/logs";
import type { AdvisorInput } from "@/lib/core/advisor";
import type { AccountSettings } from "@/lib/core/lambda/types";
import type { SourcesPorts } from "./sources";
import type { RegionEvidence } from "./summary";

export type { RegionEvidence };

/** `triggers` and `sqs` (sources.ts): absent, the trigger rules are listed as not judged. */
export interface RegionPorts extends SourcesPorts {
  lambda: LambdaPort;
  cloudwatch: CloudWatchPort;
  logs: LogsPort;
  metricList: MetricListPort;
}

export interface RegionCollection {
  region: string;
  inputs: AdvisorInput[];
  account: AccountSettings | null;
  /** Sources that failed or came back partial: the flags built on them say less. */
  gaps: string[];
  /** Store path only. */
  evidence?: RegionEvidence;
}
