/**
 * The CloudWatch Logs port for one request's lines: FilterLogEvents, one page per call. Paging and the budget
 * of pages belong to the caller (lib/data/traces), which must count and bound what a page view costs.
 *
 * Invariants: one AWS request per call, reported through `onRequest`; events come back as lib/core telemetry
 * `LogEvent`s (with their stream); every failure is a FleetscopeError. With a `sourceAccount` (a monitoring account
 * reading a linked source) the group is sent as that account's log group ARN; without one, by name as before.
 */
import type { AccountTarget } from "@/lib/core/accounts";
import "server-only";
import { FilterLogEventsCommand, type CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { checkSourceAccountId, logGroupArn } from "@/lib/core/accounts/log-group-arn";
import type { LogEvent } from "@/lib/core/telemetry/types";
import { epochMs, type EpochMs } from "@/lib/core/units";
import { logsClient } from "./clients";
import { mapAwsErrors } from "./errors";
import type { PortOptions } from "./xray";

export interface FilterEventsInput {
  logGroup: string;
  /** Inclusive. */
  from: EpochMs;
  /** Inclusive, as FilterLogEvents' endTime. */
  to: EpochMs;
  /** A filter pattern built with lib/core/query/filter-pattern (never raw user text). */
  pattern?: string;
  streams?: readonly string[];
  nextToken?: string;
  limit?: number;
  /** The 12-digit account owning the group, when the port's credentials are its monitoring account. */
  sourceAccount?: string;
}

export interface LogEventsPage {
  events: LogEvent[];
  nextToken: string | null;
}

export interface LogEventsPort {
  readonly region: string;
  filterLogEvents(input: FilterEventsInput): Promise<LogEventsPage>;
}

/** The account's log events: its own credentials, or (OAM) the monitoring account's naming it as the owner. */
export function logEventsFor(
  region: string,
  options: PortOptions = {},
  account: AccountTarget | null = null,
): LogEventsPort {
  if (account?.telemetry !== "monitoring-account")
    return createLogEventsPort(logsClient(region, account), region, options);
  const port = createLogEventsPort(logsClient(region), region, options);
  return {
    region,
    filterLogEvents: (input) => port.filterLogEvents({ ...input, sourceAccount: account.id }),
  };
}

export function createLogEventsPort(
  client: CloudWatchLogsClient,
  region: string,
  { onRequest }: PortOptions = {},
): LogEventsPort {
  return {
    region,
    filterLogEvents: async ({ logGroup, from, to, pattern, streams, nextToken, limit, sourceAccount }) => {
      const arn =
        sourceAccount === undefined
          ? undefined
          : logGroupArn({
              region,
              accountId: checkSourceAccountId(sourceAccount, "The source account of a log read"),
              logGroupName: logGroup,
            });
      onRequest?.("FilterLogEvents");
      return mapAwsErrors(`CloudWatch Logs FilterLogEvents ${arn ?? logGroup}`, async () => {
        const r = await client.send(
          new FilterLogEventsCommand({
            ...(arn === undefined ? { logGroupName: logGroup } : { logGroupIdentifier: arn }),
            startTime: Math.floor(from),
            endTime: Math.ceil(to),
            ...(pattern ? { filterPattern: pattern } : {}),
            ...(streams && streams.length > 0 ? { logStreamNames: [...streams] } : {}),
            ...(nextToken ? { nextToken } : {}),
            ...(limit ? { limit } : {}),
          }),
        );
        return {
          events: (r.events ?? []).flatMap((e) =>
            e.timestamp !== undefined && e.message !== undefined
              ? [{ timestamp: epochMs(e.timestamp), message: e.message, logStream: e.logStreamName }]
              : [],
          ),
          nextToken: r.nextToken || null,
        };
      });
    },
  };
}
