/**
 * The CloudWatch Logs port for one request's lines: FilterLogEvents, one page per call. Paging and the budget
 * of pages belong to the caller (lib/data/traces), which must count and bound what a page view costs.
 *
 * Invariants: one AWS request per call, reported through `onRequest`; events come back as lib/core telemetry
 * `LogEvent`s (with their stream); every failure is a FleetscopeError.
 */
import "server-only";
import { FilterLogEventsCommand, type CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
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
}

export interface LogEventsPage {
  events: LogEvent[];
  nextToken: string | null;
}

export interface LogEventsPort {
  readonly region: string;
  filterLogEvents(input: FilterEventsInput): Promise<LogEventsPage>;
}

export const logEventsFor = (region: string, options: PortOptions = {}): LogEventsPort =>
  createLogEventsPort(logsClient(region), region, options);

export function createLogEventsPort(
  client: CloudWatchLogsClient,
  region: string,
  { onRequest }: PortOptions = {},
): LogEventsPort {
  return {
    region,
    filterLogEvents: ({ logGroup, from, to, pattern, streams, nextToken, limit }) => {
      onRequest?.("FilterLogEvents");
      return mapAwsErrors(`CloudWatch Logs FilterLogEvents ${logGroup}`, async () => {
        const r = await client.send(
          new FilterLogEventsCommand({
            logGroupName: logGroup,
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
