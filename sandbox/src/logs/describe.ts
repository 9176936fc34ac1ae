/** DescribeLogGroups and DescribeLogStreams. */
import { z } from "zod";
import { readableContext, readableContexts } from "../cloudwatch/oam";
import type { SandboxContext } from "../http/types";
import { invocationsTouching } from "./events";
import {
  estimatedStoredBytes,
  groupArn,
  listGroups,
  parseGroupIdentifier,
  resolveGroup,
  retainedFrom,
  type LogGroupInfo,
} from "./groups";
import { ingestionLagMs, invocationEndMs } from "./render";
import { oneGroup, parseInput } from "./validate";
import { decodeToken, encodeToken, LogsError } from "./wire";

const limit50 = z.number().int().min(1).max(50);

const DescribeLogGroupsInput = z.object({
  logGroupNamePrefix: z.string().min(1).max(512).optional(),
  logGroupNamePattern: z.string().max(512).optional(),
  logGroupIdentifiers: z.array(z.string().min(1)).min(1).max(50).optional(),
  includeLinkedAccounts: z.boolean().optional(),
  accountIdentifiers: z
    .array(z.string().regex(/^\d{12}$/))
    .max(20)
    .optional(),
  nextToken: z.string().min(1).optional(),
  limit: limit50.optional(),
});

/** Where the previous page stopped: groups are ordered by name, then owning account. */
interface After {
  name: string;
  account: string;
}

const afterToken = (token: string | undefined): After | null => {
  if (token === undefined) return null;
  const t = decodeToken(token) as { after?: unknown; account?: unknown } | null;
  if (typeof t !== "object" || t === null || typeof t.after !== "string") {
    throw new LogsError("InvalidParameterException", "The specified nextToken is invalid.");
  }
  return { name: t.after, account: typeof t.account === "string" ? t.account : "" };
};

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const afterGroup = (g: LogGroupInfo, after: After): boolean =>
  (compareStrings(g.name, after.name) || compareStrings(g.accountId, after.account)) > 0;
const byNameThenAccount = (a: LogGroupInfo, b: LogGroupInfo): number =>
  compareStrings(a.name, b.name) || compareStrings(a.accountId, b.accountId);

/**
 * The accounts whose groups DescribeLogGroups lists: the caller's; with includeLinkedAccounts in a monitoring
 * account also its linked sources (only those in accountIdentifiers, when given); and the owners of readable
 * ARNs in logGroupIdentifiers (an ARN of an account the caller may not read lists nothing, like an unknown name).
 */
function listedAccounts(
  ctx: SandboxContext,
  input: z.infer<typeof DescribeLogGroupsInput>,
): SandboxContext[] {
  if (input.accountIdentifiers !== undefined && input.includeLinkedAccounts !== true) {
    throw new LogsError(
      "InvalidParameterException",
      "accountIdentifiers is only valid with includeLinkedAccounts set to true.",
    );
  }
  const chosen = input.accountIdentifiers?.length ? new Set(input.accountIdentifiers) : null;
  const out = input.includeLinkedAccounts
    ? readableContexts(ctx).filter((c) => chosen === null || chosen.has(c.account.accountId))
    : [ctx];
  for (const id of input.logGroupIdentifiers ?? []) {
    const accountId = parseGroupIdentifier(id).accountId;
    const owner = accountId === undefined ? null : readableContext(ctx, accountId);
    if (owner && !out.includes(owner)) out.push(owner);
  }
  return out;
}

export function describeLogGroups(ctx: SandboxContext, region: string, body: unknown) {
  const input = parseInput(DescribeLogGroupsInput, body);
  if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) {
    throw new LogsError(
      "InvalidParameterException",
      "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.",
    );
  }
  const now = ctx.now();
  const own = ctx.account.accountId;
  // (account, name) pairs; a name is the caller's own group.
  const wanted = input.logGroupIdentifiers?.map((id) => {
    const p = parseGroupIdentifier(id);
    return { account: p.accountId ?? own, name: p.name, region: p.region ?? region };
  });
  const after = afterToken(input.nextToken);
  const limit = input.limit ?? 50;
  const matching = listedAccounts(ctx, input)
    .flatMap((owner) => listGroups(owner, region))
    .sort(byNameThenAccount)
    .filter(
      (g) =>
        (input.logGroupNamePrefix === undefined || g.name.startsWith(input.logGroupNamePrefix)) &&
        (input.logGroupNamePattern === undefined || g.name.includes(input.logGroupNamePattern)) &&
        (wanted === undefined ||
          wanted.some((w) => w.name === g.name && w.account === g.accountId && w.region === region)) &&
        (after === null || afterGroup(g, after)),
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
    ...(matching.length > limit && last
      ? { nextToken: encodeToken({ after: last.name, account: last.accountId }) }
      : {}),
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

export function describeLogStreams(caller: SandboxContext, region: string, body: unknown) {
  const input = parseInput(DescribeLogStreamsInput, body);
  // A linked source's group (OAM) is read from that account's own context.
  const { owner: ctx, group: g } = resolveGroup(caller, region, oneGroup(input));
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
