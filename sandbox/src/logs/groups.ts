/**
 * The log groups of a region: one per distinct SimFunction.logGroup (a custom group may be shared by several
 * functions, as LoggingConfig allows), plus `aws/spans` where Transaction Search is on (spans/log-events.ts).
 * Groups exist from the first function's creation; their retention is a stable per-group choice, and events older
 * than it are gone, as on AWS.
 */
import type { SimFunction } from "../fleet/model";
import type { SandboxContext } from "../http/types";
import type { Invocation } from "../sim/types";
import { readableContext } from "../cloudwatch/oam";
import { spansLogGroup } from "../spans/log-events";
import { groupNotFound, LogsError } from "./wire";
import { hash32, type LogEvent } from "./render";

/** How a group that is not a function's own (aws/spans) gets its events from its functions' invocations. */
export interface GroupEvents {
  /** The invocation's events in this group, in time order (none when it wrote nothing here). */
  render(fn: SimFunction, inv: Invocation): LogEvent[];
  /** How long after the handler's end (render.ts invocationEndMs) the invocation's last event may be. */
  tailMs: number;
  /** The stream the invocation writes to here, or null when it writes nothing. */
  streamOf(inv: Invocation): string | null;
  /** False when `fn` can never write to `stream` (lets a one-stream read skip the other functions). */
  mayWrite(fn: SimFunction, stream: string): boolean;
}

export interface LogGroupInfo {
  name: string;
  region: string;
  accountId: string;
  functions: SimFunction[];
  creationTime: number;
  /** null: never expire (AWS omits retentionInDays). */
  retentionInDays: number | null;
  /** Absent: the functions' own log lines (render.ts); set for a group fed otherwise (aws/spans). */
  events?: GroupEvents;
}

const RETENTION_CHOICES = [null, 14, 30, 90] as const;
const DAY_MS = 86_400_000;

export function listGroups(ctx: SandboxContext, region: string): LogGroupInfo[] {
  const state = ctx.account.regions.get(region);
  if (!state) return [];
  const byName = new Map<string, SimFunction[]>();
  // Lambda@Edge replicas log in the region where they ran (fleet/edge.ts).
  for (const fn of [...state.functions.values(), ...(state.replicas?.values() ?? [])]) {
    const list = byName.get(fn.logGroup);
    if (list) list.push(fn);
    else byName.set(fn.logGroup, [fn]);
  }
  const spans = spansLogGroup(ctx, region);
  return [...byName.entries()]
    .map(([name, functions]): LogGroupInfo => ({
      name,
      region,
      accountId: ctx.account.accountId,
      functions,
      creationTime: Math.min(...functions.map((f) => f.createdMs)),
      retentionInDays: RETENTION_CHOICES[hash32(name) % RETENTION_CHOICES.length] ?? null,
    }))
    .concat(spans ? [spans] : [])
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function groupArn(g: LogGroupInfo): string {
  return `arn:aws:logs:${g.region}:${g.accountId}:log-group:${g.name}`;
}

/** A log group with the context of the account that owns it (the caller's, or a linked source's: OAM). */
export interface ResolvedGroup {
  owner: SandboxContext;
  group: LogGroupInfo;
}

/** A log group identifier: a name (the caller's account) or an ARN naming its account. */
export function parseGroupIdentifier(identifier: string): {
  region?: string;
  accountId?: string;
  name: string;
} {
  const arn = /^arn:aws[a-z-]*:logs:([^:]*):([^:]*):log-group:(.+?)(:\*)?$/.exec(identifier);
  if (arn) return { region: arn[1]!, accountId: arn[2]!, name: arn[3]! };
  if (identifier.startsWith("arn:")) {
    throw new LogsError("InvalidParameterException", `Invalid log group identifier: ${identifier}`);
  }
  return { name: identifier };
}

/**
 * Accepts a name or an ARN (`arn:aws:logs:region:account:log-group:name[:*]`), as logGroupIdentifier does. An
 * ARN of another account resolves only in a monitoring account linked to it (cloudwatch/oam.ts); otherwise, as
 * for any group the caller cannot see, ResourceNotFoundException.
 */
export function resolveGroup(ctx: SandboxContext, region: string, identifier: string): ResolvedGroup {
  const id = parseGroupIdentifier(identifier);
  if (id.region !== undefined && id.region !== region) throw groupNotFound();
  const owner = id.accountId === undefined ? ctx : readableContext(ctx, id.accountId);
  if (!owner) throw groupNotFound();
  const g = listGroups(owner, region).find((x) => x.name === id.name);
  if (!g) throw groupNotFound();
  return { owner, group: g };
}

/** The oldest event timestamp the group still holds at `now`. */
export function retainedFrom(g: LogGroupInfo, now: number): number {
  return g.retentionInDays === null
    ? g.creationTime
    : Math.max(g.creationTime, now - g.retentionInDays * DAY_MS);
}

/** Bytes a real group would hold: estimated from the traffic profile (the sandbox never materialises logs). */
export function estimatedStoredBytes(g: LogGroupInfo, now: number): number {
  const minutes = Math.max(0, (now - retainedFrom(g, now)) / 60_000);
  const perMinute = g.functions.reduce(
    (s, f) => s + f.traffic.peakPerMinute * (1 - f.traffic.dailyDip / 2),
    0,
  );
  return Math.round(minutes * perMinute * 700);
}
