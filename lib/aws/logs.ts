/**
 * The CloudWatch Logs port for telemetry: Logs Insights aggregations over many log groups, and FilterLogEvents
 * over a bounded window. Owns chunking, polling, paging and error mapping; reshapes rows and events at the
 * boundary (no SDK type leaves this file).
 *
 * Invariants of `runInsights`:
 * - One StartQuery covers up to MAX_GROUPS_PER_QUERY (50, StartQuery's logGroupNames limit) groups: n groups
 *   cost ceil(n / 50) queries, run at most QUERY_CONCURRENCY at a time (the account allows ~30 concurrent).
 * - A chunk is polled with GetQueryResults, the wait growing by `backoff` up to `maxPollMs`, until Complete.
 *   Failed / Cancelled / Timeout statuses are errors. Past the deadline (or on abort) the query is stopped with
 *   StopQuery (best effort) and the call fails with Timeout: a query is never left running unobserved.
 * - A chunk rejected because one of its groups does not exist (a function that never ran has no group) is
 *   split in halves and retried, so one missing group costs O(log n) extra queries and drops only itself.
 * - Rows are `field → value` records with `@ptr` removed, the rows of every chunk concatenated.
 *
 * Invariants of `filterLogEvents`: every page is followed until no nextToken or `maxEvents` is reached; events
 * are returned oldest first.
 *
 * Cross-account (a monitoring account reading a linked source): with a `sourceAccount`, groups are sent as that
 * account's log group ARNs (`logGroupIdentifiers` / `logGroupIdentifier`) instead of names; chunking, splitting and
 * `missingGroups` still work on names. Without one the requests are exactly the single-account ones.
 */
import type { AccountTarget } from "@/lib/core/accounts";
import { systemClock } from "@/lib/config/clock";
import "server-only";
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { checkSourceAccountId, logGroupArn } from "@/lib/core/accounts/log-group-arn";
import { mapWithConcurrency } from "@/lib/core/concurrency";
import { FleetscopeError, isFleetscopeError } from "@/lib/core/errors";
import { validateLogGroupName } from "@/lib/core/query/insights";
import type { InsightsRow } from "@/lib/core/query/insights-rows";
import type { TimeWindow } from "@/lib/core/time/range";
import type { LogEvent } from "@/lib/core/telemetry/types";
import { epochMs } from "@/lib/core/units";
import { logsClient } from "./clients";
import { mapAwsErrors, toFleetscopeError } from "./errors";

export const MAX_GROUPS_PER_QUERY = 50;
const QUERY_CONCURRENCY = 8;

export interface InsightsOptions {
  /**
   * Unfinished queries are stopped `timeoutMs` after the call, counted on the port's own `timing` clock: callers
   * pass a duration, never an instant, since their injected `now` (replayed, a test clock) is not the port's.
   */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Result rows per query; Insights allows up to 10,000. */
  limit?: number;
  groupsPerQuery?: number;
  /** Called before each AWS request (StartQuery, GetQueryResults, StopQuery), for cost accounting. */
  onRequest?: (operation: string) => void;
  /** The 12-digit account owning the groups, when the port's credentials are its monitoring account. */
  sourceAccount?: string;
}

/** The options once the port has fixed the call's deadline on its own clock. */
type Deadlined = Omit<InsightsOptions, "timeoutMs"> & { deadline: number };

export interface InsightsResult {
  rows: InsightsRow[];
  /** StartQuery calls made (chunks, plus splits around missing groups). */
  queries: number;
  /** Groups left out because they do not exist. */
  missingGroups: string[];
  /** What the queries scanned, as Insights reports it (`statistics.bytesScanned`): what AWS bills. */
  bytesScanned: number;
  /** Some query returned as many rows as its limit: its answer may be cut, and the caller must not trust it whole. */
  truncated: boolean;
}

export interface FilterOptions {
  filterPattern?: string;
  /** Stop paging after this many events (the newest are past it, so callers keep windows short). */
  maxEvents?: number;
  logStreamNames?: string[];
  /** Called before each FilterLogEvents page request, for cost accounting. */
  onRequest?: (operation: string) => void;
  /** The 12-digit account owning the group, when the port's credentials are its monitoring account. */
  sourceAccount?: string;
}

export interface LogsPort {
  readonly region: string;
  runInsights(
    queryString: string,
    logGroups: readonly string[],
    window: TimeWindow,
    options: InsightsOptions,
  ): Promise<InsightsResult>;
  filterLogEvents(logGroup: string, window: TimeWindow, options?: FilterOptions): Promise<LogEvent[]>;
}

/** Time and sleeping, injected so the polling schedule is testable without timers. */
export interface Timing {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  firstPollMs: number;
  maxPollMs: number;
  backoff: number;
}

const realSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

export const DEFAULT_TIMING: Timing = {
  now: systemClock.now,
  sleep: realSleep,
  firstPollMs: 150,
  maxPollMs: 2000,
  backoff: 1.6,
};

/**
 * For background work (the Advisor's collection, `npm run advise`): nobody waits on each poll, and
 * GetQueryResults has a low per-account rate limit that interactive pages share, so poll a few times a query
 * rather than every fraction of a second.
 */
export const BACKGROUND_TIMING: Timing = {
  ...DEFAULT_TIMING,
  firstPollMs: 1000,
  maxPollMs: 5000,
  backoff: 2,
};

/**
 * The account's logs: through its own credentials, or (OAM) through the monitoring account's, naming the account
 * as the groups' owner. No account: the console's own.
 */
export function logsFor(
  region: string,
  timing: Timing = DEFAULT_TIMING,
  account: AccountTarget | null = null,
): LogsPort {
  if (account?.telemetry !== "monitoring-account")
    return createLogsPort(logsClient(region, account), region, timing);
  const port = createLogsPort(logsClient(region), region, timing);
  return {
    region,
    runInsights: (query, groups, window, options) =>
      port.runInsights(query, groups, window, { ...options, sourceAccount: account.id }),
    filterLogEvents: (group, window, options) =>
      port.filterLogEvents(group, window, { ...options, sourceAccount: account.id }),
  };
}

export function chunkGroups(groups: readonly string[], size = MAX_GROUPS_PER_QUERY): string[][] {
  const unique = [...new Set(groups)];
  const out: string[][] = [];
  for (let i = 0; i < unique.length; i += size) out.push(unique.slice(i, i + size));
  return out;
}

/** GetQueryResults rows: arrays of {field, value} → records; `@ptr` is an opaque pointer we never use. */
export function reshapeRows(
  results: readonly (readonly { field?: string; value?: string }[])[],
): InsightsRow[] {
  return results.map((cells) => {
    const row: Record<string, string> = {};
    for (const c of cells)
      if (c.field !== undefined && c.field !== "@ptr" && c.value !== undefined) row[c.field] = c.value;
    return row;
  });
}

/** StartQuery's group parameter: names in the caller's account, ARNs in a linked source account. */
export function groupsParameter(
  region: string,
  groups: readonly string[],
  sourceAccount: string | undefined,
): { logGroupNames: string[] } | { logGroupIdentifiers: string[] } {
  if (sourceAccount === undefined) return { logGroupNames: [...groups] };
  return {
    logGroupIdentifiers: groups.map((logGroupName) =>
      logGroupArn({ region, accountId: sourceAccount, logGroupName }),
    ),
  };
}

const checkSource = (sourceAccount: string | undefined) =>
  sourceAccount === undefined
    ? undefined
    : checkSourceAccountId(sourceAccount, "The source account of a CloudWatch Logs read");

export function createLogsPort(
  client: CloudWatchLogsClient,
  region: string,
  timing: Timing = DEFAULT_TIMING,
): LogsPort {
  async function runOne(
    queryString: string,
    groups: string[],
    window: TimeWindow,
    options: Deadlined,
    acc: InsightsResult,
  ): Promise<InsightsRow[]> {
    options.onRequest?.("StartQuery");
    const where = options.sourceAccount === undefined ? "" : ` in account ${options.sourceAccount}`;
    const started = await mapAwsErrors(`Logs StartQuery${where}`, () =>
      client.send(
        new StartQueryCommand({
          ...groupsParameter(region, groups, options.sourceAccount),
          // StartQuery takes epoch seconds; both ends are inclusive, so the end second is the last one in range.
          startTime: Math.floor(window.start / 1000),
          endTime: Math.ceil(window.end / 1000) - 1,
          queryString,
          limit: options.limit ?? 10_000,
        }),
        { abortSignal: options.signal },
      ),
    );
    const queryId = started.queryId;
    if (!queryId) throw new FleetscopeError("Unavailable", "Logs StartQuery returned no queryId");
    const stop = () => {
      options.onRequest?.("StopQuery");
      return client.send(new StopQueryCommand({ queryId })).catch(() => undefined);
    };
    let wait = timing.firstPollMs;
    for (;;) {
      if (options.signal?.aborted || timing.now() + wait > options.deadline) {
        await stop();
        throw new FleetscopeError(
          "Timeout",
          options.signal?.aborted
            ? "Logs Insights query abandoned"
            : "Logs Insights query did not complete before the deadline",
          { queryId },
        );
      }
      await timing.sleep(wait, options.signal);
      wait = Math.min(timing.maxPollMs, wait * timing.backoff);
      if (options.signal?.aborted) continue;
      options.onRequest?.("GetQueryResults");
      const r = await mapAwsErrors("Logs GetQueryResults", () =>
        client.send(new GetQueryResultsCommand({ queryId }), { abortSignal: options.signal }),
      ).catch(async (e: unknown) => {
        await stop();
        throw e;
      });
      switch (r.status) {
        case "Complete": {
          acc.bytesScanned += r.statistics?.bytesScanned ?? 0;
          const rows = reshapeRows(r.results ?? []);
          if (rows.length >= (options.limit ?? 10_000)) acc.truncated = true;
          return rows;
        }
        case "Failed":
        case "Cancelled":
        case "Timeout":
        case "Unknown":
          throw new FleetscopeError("Unavailable", `Logs Insights query ended ${r.status}`, { queryId });
        default:
          break; // Scheduled / Running: keep polling.
      }
    }
  }

  /** A chunk failing NotFound is split until the missing group(s) stand alone, and those are dropped. */
  async function runChunk(
    queryString: string,
    groups: string[],
    window: TimeWindow,
    options: Deadlined,
    acc: InsightsResult,
  ): Promise<void> {
    acc.queries++;
    try {
      acc.rows.push(...(await runOne(queryString, groups, window, options, acc)));
    } catch (e) {
      const err = isFleetscopeError(e) ? e : toFleetscopeError(e, "Logs Insights");
      if (err.code !== "NotFound") throw err;
      if (groups.length === 1) {
        acc.missingGroups.push(groups[0] as string);
        return;
      }
      const half = Math.ceil(groups.length / 2);
      await runChunk(queryString, groups.slice(0, half), window, options, acc);
      await runChunk(queryString, groups.slice(half), window, options, acc);
    }
  }

  return {
    region,

    async runInsights(queryString, logGroups, window, asked) {
      logGroups.forEach(validateLogGroupName);
      checkSource(asked.sourceAccount);
      // One absolute deadline on this port's clock for every chunk of the call.
      const { timeoutMs, ...rest } = asked;
      const options: Deadlined = { ...rest, deadline: timing.now() + timeoutMs };
      const acc: InsightsResult = {
        rows: [],
        queries: 0,
        missingGroups: [],
        bytesScanned: 0,
        truncated: false,
      };
      const chunks = chunkGroups(logGroups, options.groupsPerQuery ?? MAX_GROUPS_PER_QUERY);
      await mapWithConcurrency(chunks, QUERY_CONCURRENCY, (chunk) =>
        runChunk(queryString, chunk, window, options, acc),
      );
      return acc;
    },

    async filterLogEvents(logGroup, window, options = {}) {
      validateLogGroupName(logGroup);
      const source = checkSource(options.sourceAccount);
      const arn =
        source === undefined ? undefined : logGroupArn({ region, accountId: source, logGroupName: logGroup });
      const group = arn === undefined ? { logGroupName: logGroup } : { logGroupIdentifier: arn };
      const max = options.maxEvents ?? 10_000;
      const out: LogEvent[] = [];
      const seen = new Set<string>();
      let token: string | undefined;
      do {
        options.onRequest?.("FilterLogEvents");
        const page = await mapAwsErrors(`Logs FilterLogEvents ${arn ?? logGroup}`, () =>
          client.send(
            new FilterLogEventsCommand({
              ...group,
              startTime: window.start,
              endTime: window.end,
              filterPattern: options.filterPattern,
              logStreamNames: options.logStreamNames,
              nextToken: token,
            }),
          ),
        );
        for (const e of page.events ?? []) {
          if (e.timestamp === undefined || e.message === undefined) continue;
          out.push({ timestamp: epochMs(e.timestamp), message: e.message, logStream: e.logStreamName });
        }
        token = page.nextToken || undefined;
        if (token !== undefined) {
          if (seen.has(token)) throw new FleetscopeError("Unavailable", "Logs FilterLogEvents: paging loop");
          seen.add(token);
        }
      } while (token !== undefined && out.length < max);
      return out.slice(0, max);
    },
  };
}
