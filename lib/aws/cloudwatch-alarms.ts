/**
 * CloudWatch DescribeAlarms, only what a traffic-shift guard needs: the current state of named metric alarms.
 * Kept beside cloudwatch.ts (GetMetricData) as its own small port. An alarm AWS does not know is "MISSING".
 */
import type { AccountTarget } from "@/lib/core/accounts";
import "server-only";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import type { AlarmState } from "@/lib/core/traffic/guards";
import { cloudWatchClient } from "./clients";
import { mapAwsErrors } from "./errors";

export interface AlarmPort {
  alarmStates(names: readonly string[]): Promise<Map<string, AlarmState>>;
}

export const alarmsFor = (region: string, account: AccountTarget | null = null): AlarmPort =>
  createAlarmPort(cloudWatchClient(region, account));

export function createAlarmPort(client: CloudWatchClient): AlarmPort {
  return {
    async alarmStates(names) {
      const out = new Map<string, AlarmState>(names.map((n) => [n, "MISSING"]));
      // DescribeAlarms takes at most 100 names per call.
      for (let i = 0; i < names.length; i += 100) {
        let token: string | undefined;
        do {
          const r = await mapAwsErrors("CloudWatch DescribeAlarms", () =>
            client.send(
              new DescribeAlarmsCommand({
                AlarmNames: names.slice(i, i + 100),
                AlarmTypes: ["MetricAlarm"],
                NextToken: token,
              }),
            ),
          );
          for (const a of r.MetricAlarms ?? []) {
            const s = a.StateValue;
            if (a.AlarmName && (s === "OK" || s === "ALARM" || s === "INSUFFICIENT_DATA"))
              out.set(a.AlarmName, s);
          }
          token = r.NextToken || undefined;
        } while (token !== undefined);
      }
      return out;
    },
  };
}
