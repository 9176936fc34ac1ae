/** DescribeLogGroups and DescribeLogStreams. */
import { z } from "zod";
import type { SandboxContext } from "../http/types";
import { invocationsTouching } from "./events";
import { estimatedStoredBytes, groupArn, listGroups, resolveGroup, retainedFrom } from "./groups";
import { ingestionLagMs, invocationEndMs } from "./render";
import { oneGroup, parseInput } from "./validate";
import { decodeToken, encodeToken, LogsError } from "./wire";

const limit50 = z.number().int().min(1).max(50);

const DescribeLogGroupsInput = z.object({
  logGroupNamePrefix: z.string().min(1).max(512).optional(),
  logGroupNamePattern: z.string().max(512).optional(),
  logGroupIdentifiers: z.array(z.string().min(1)).min(1).max(50).optional(),
  nextToken: z.string().min(1).optional(),
  limit: limit50.optional(),
});

const afterToken = (token: string | undefined): string | null => {
  if (token === undefined) return null;
  const t = decodeToken(token);
  if (typeof t !== "object" || t === null || typeof (t as { after?: unknown }).after !== "string") {
    throw new LogsError("InvalidParameterException", "The specified nextToken is invalid.");
  }
  return (t as { after: string }).after;
};

export function describeLogGroups(ctx: SandboxContext, region: string, body: unknown) {
  const input = parseInput(DescribeLogGroupsInput, body);
  if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) {
    throw new LogsError(
      "InvalidParameterException",
      "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.",
    );
  }
  const now = ctx.now();
  const wanted = input.logGroupIdentifiers?.map((id) =>
    id.replace(/^arn:[^:]*:logs:[^:]*:[^:]*:log-group:/, ""),
  );
  const after = afterToken(input.nextToken);
  const limit = input.limit ?? 50;
  const matching = listGroups(ctx, region).filter(
    (g) =>
      (input.logGroupNamePrefix === undefined || g.name.startsWith(input.logGroupNamePrefix)) &&
      (input.logGroupNamePattern === undefined || g.name.includes(input.logGroupNamePattern)) &&
      (wanted === undefined || wanted.includes(g.name)) &&
      (after === null || g.name > after),
  );
  const page = matching.slice(0, limit);
  const logGroups = page.map((g) =>
    input.logGroupNamePattern !== undefined
      ? { logGroupName: g.name, creationTime: g.creationTime, arn: `${groupArn(g)}:*` }
      : {
          logGroupName: g.name,
          creationTime: g.creationTime,
          ...(g.retentionInDays !== null ? { retentionInDays: g.retentionInDays } : {}),
          metricFilterCount: 0,
          arn: `${groupArn(g)}:*`,
          storedBytes: estimatedStoredBytes(g, now),
          logGroupClass: "STANDARD",
          logGroupArn: groupArn(g),
        },
  );
  const last = page.at(-1);
  return {
    logGroups,
    ...(matching.length > limit && last ? { nextToken: encodeToken({ after: last.name }) } : {}),
  };
}

const DescribeLogStreamsInput = z.object({
  logGroupName: z.string().min(1).max(512).optional(),
  logGroupIdentifier: z.string().min(1).max(2048).optional(),
  logStreamNamePrefix: z.string().min(1).max(512).optional(),
  orderBy: z.enum(["LogStreamName", "LastEventTime"]).optional(),
  descending: z.boolean().optional(),
  nextToken: z.string().min(1).optional(),
  limit: limit50.optional(),
});

/**
 * Streams are discovered from invocations, so the sandbox lists those with events in the last
 * STREAM_HORIZON_MS (real AWS lists every stream within retention; GetLogEvents still reads older ones).
 */
export const STREAM_HORIZON_MS = 24 * 3_600_000;

interface StreamInfo {
  logStreamName: string;
  first: number;
  last: number;
  lastIngestion: number;
}

export function describeLogStreams(ctx: SandboxContext, region: string, body: unknown) {
  const input = parseInput(DescribeLogStreamsInput, body);
  const g = resolveGroup(ctx, region, oneGroup(input));
  const orderBy = input.orderBy ?? "LogStreamName";
  if (orderBy === "LastEventTime" && input.logStreamNamePrefix !== undefined) {
    throw new LogsError(
      "InvalidParameterException",
      "Cannot order by LastEventTime with a logStreamNamePrefix.",
    );
  }
  const now = ctx.now();
  const from = Math.max(retainedFrom(g, now), now - STREAM_HORIZON_MS);
  const streams = new Map<string, StreamInfo>();
  for (const fn of g.functions) {
    for (const inv of invocationsTouching(ctx, fn, from, now + 1, g.events?.tailMs)) {
      // A fed group (aws/spans) has its own streams; its last event may trail the handler's end by tailMs.
      const name = g.events ? g.events.streamOf(inv) : inv.logStreamName;
      if (name === null) continue;
      if (input.logStreamNamePrefix !== undefined && !name.startsWith(input.logStreamNamePrefix)) continue;
      const end = Math.min(invocationEndMs(inv) + (g.events?.tailMs ?? 0), now);
      const s = streams.get(name);
      if (!s) {
        streams.set(name, {
          logStreamName: name,
          first: Math.round(inv.startMs),
          last: end,
          lastIngestion: end + ingestionLagMs(inv),
        });
      } else {
        s.first = Math.min(s.first, Math.round(inv.startMs));
        if (end >= s.last) {
          s.last = end;
          s.lastIngestion = end + ingestionLagMs(inv);
        }
      }
    }
  }
  const sorted = [...streams.values()].sort((a, b) =>
    orderBy === "LastEventTime"
      ? a.last - b.last || (a.logStreamName < b.logStreamName ? -1 : 1)
      : a.logStreamName < b.logStreamName
        ? -1
        : a.logStreamName > b.logStreamName
          ? 1
          : 0,
  );
  if (input.descending) sorted.reverse();
  // Offset paging: the order is total, and the token names the order it was issued for.
  let offset = 0;
  if (input.nextToken !== undefined) {
    const t = decodeToken(input.nextToken) as { o?: unknown; by?: unknown };
    if (typeof t?.o !== "number" || t.by !== `${orderBy}:${input.descending === true}`) {
      throw new LogsError("InvalidParameterException", "The specified nextToken is invalid.");
    }
    offset = t.o;
  }
  const limit = input.limit ?? 50;
  const page = sorted.slice(offset, offset + limit);
  return {
    logStreams: page.map((s) => ({
      logStreamName: s.logStreamName,
      creationTime: s.first,
      firstEventTimestamp: s.first,
      lastEventTimestamp: s.last,
      lastIngestionTime: s.lastIngestion,
      uploadSequenceToken: "49039859" + String(s.lastIngestion).padStart(48, "0"),
      arn: `arn:aws:logs:${g.region}:${g.accountId}:log-group:${g.name}:log-stream:${s.logStreamName}`,
      storedBytes: 0,
    })),
    ...(offset + limit < sorted.length
      ? { nextToken: encodeToken({ o: offset + limit, by: `${orderBy}:${input.descending === true}` }) }
      : {}),
  };
}
