/**
 * How each function is invoked, read for the Advisor's trigger rules (issue 13), the same way on the live and
 * the store path, within a small request budget per region:
 * - ONE region-wide paged ListEventSourceMappings (never one per function), or none when the collector stored
 *   one within STORED_LISTING_MAX_AGE_MS (lib/data/triggers.ts: the same age the function page and /sources
 *   accept; the store path);
 * - GetQueueAttributes (after GetQueueUrl) once per SQS queue an Enabled mapping reads, kept for
 *   QUEUE_TTL_MS when a cache is given (a queue's visibility timeout is set by hand, rarely);
 * - GetFunctionEventInvokeConfig only for functions whose async metrics show activity (dropped events, failed
 *   deliveries) and the collector has no reading of within STORED_ASYNC_MAX_AGE_MS; the dead-letter queue
 *   comes from the function's configuration, already listed, so it is kept when that read fails.
 *
 * Invariants: each part settles on its own; a part that fails (or a port not wired) is named in the functions'
 * MissingEvidence ("triggers", "queues", "async") and in the region's gaps, so its rules are listed as not judged
 * instead of judged on nothing. Nothing read here is ever a zero standing in for "unknown".
 */
import type { FunctionMapping, LambdaFleetTriggersPort, LambdaTriggersPort } from "@/lib/aws/lambda";
import type { SqsPort } from "@/lib/aws/sqs";
import type { TriggerSources } from "@/lib/core/advisor";
import { mapWithConcurrency } from "@/lib/core/concurrency";
import { toOutcomeError } from "@/lib/core/errors";
import type { FunctionConfig } from "@/lib/core/lambda/types";
import { isStream } from "@/lib/core/triggers/mapping";
import type { AsyncConfig, EventSourceMapping } from "@/lib/core/triggers/types";
import type { Seconds } from "@/lib/core/units";
import type { Cache } from "../cache";
import { STORED_LISTING_MAX_AGE_MS } from "../triggers";
import type { MissingBySource } from "./missing";

/** The trigger ports the Advisor uses; absent, the parts they read are not judged. */
export interface SourcesPorts {
  triggers?: LambdaFleetTriggersPort & Pick<LambdaTriggersPort, "getFunctionEventInvokeConfig">;
  sqs?: Pick<SqsPort, "queueAttributes">;
  /** Queue visibility timeouts already read, by queue ARN (the process's, QUEUE_TTL_MS); absent: none kept. */
  queueCache?: Cache<{ visibilityTimeout: Seconds }>;
}

/** What the collector stored (lib/store/triggers.ts), used instead of a live read while fresh. */
export interface StoredTriggers {
  listing: { mappings: FunctionMapping[]; listedAt: number } | null;
  /** Event invoke configs read successfully, per function, with when. */
  async: ReadonlyMap<string, { config: AsyncConfig | null; readAt: number }>;
  now: number;
}

/** Event invoke configs change by hand, rarely; the collector re-reads them on a revision change. */
export const STORED_ASYNC_MAX_AGE_MS = 24 * 3_600_000;
/** How long a queue's visibility timeout is kept once read. */
export const QUEUE_TTL_MS = 60 * 60_000;

/** Control-plane calls in flight (Lambda's ~15 requests/s is shared with the rest of the collection). */
const FAN_OUT = 4;
/** ListEventSourceMappings' page size: AWS returns at most 100 per response, whatever MaxItems says. */
export const MAPPINGS_PAGE = 100;

const isSqs = (m: EventSourceMapping) => m.kind === "sqs" && m.state === "Enabled" && m.sourceArn !== null;

/** The region's mappings, grouped by the function they invoke (any qualifier). */
export function groupMappings(listing: readonly FunctionMapping[]): Map<string, EventSourceMapping[]> {
  const out = new Map<string, EventSourceMapping[]>();
  for (const { functionName, mapping } of listing)
    out.set(functionName, [...(out.get(functionName) ?? []), mapping]);
  return out;
}

/** Functions with a stream mapping (Kinesis, DynamoDB, Kafka): the ones whose IteratorAge trend is read per hour. */
export const streamFunctions = (byFunction: ReadonlyMap<string, EventSourceMapping[]>): Set<string> =>
  new Set([...byFunction].filter(([, ms]) => ms.some(isStream)).map(([name]) => name));

/** Step 1: the region-wide listing (the collector's, while fresh). */
export async function readMappings(
  ports: SourcesPorts,
  gaps: string[],
  missing: MissingBySource,
  stored?: StoredTriggers,
): Promise<{ byFunction: Map<string, EventSourceMapping[]> | null; requests: number }> {
  const kept = stored?.listing;
  if (kept && stored.now - kept.listedAt <= STORED_LISTING_MAX_AGE_MS)
    return { byFunction: groupMappings(kept.mappings), requests: 0 };
  if (!ports.triggers) {
    missing.everywhere("triggers", "event source mappings are not read by this collection");
    return { byFunction: null, requests: 0 };
  }
  try {
    const listing = await ports.triggers.listAllEventSourceMappings({ pageSize: MAPPINGS_PAGE });
    return {
      byFunction: groupMappings(listing),
      requests: Math.max(1, Math.ceil(listing.length / MAPPINGS_PAGE)),
    };
  } catch (e) {
    const reason = `ListEventSourceMappings: ${toOutcomeError(e).message}`;
    gaps.push(reason);
    missing.everywhere("triggers", reason);
    return { byFunction: null, requests: 1 };
  }
}

/** Step 2: the visibility timeout of every queue an Enabled SQS mapping reads. */
export async function readQueues(
  ports: SourcesPorts,
  byFunction: ReadonlyMap<string, EventSourceMapping[]> | null,
  gaps: string[],
  missing: MissingBySource,
): Promise<{ queues: TriggerSources["queues"]; requests: number }> {
  const queues: TriggerSources["queues"] = {};
  if (byFunction === null) return { queues, requests: 0 };
  const readers = new Map<string, string[]>();
  for (const [name, ms] of byFunction)
    for (const m of ms.filter(isSqs)) readers.set(m.sourceArn!, [...(readers.get(m.sourceArn!) ?? []), name]);
  const arns = [...readers.keys()];
  const failed = (arn: string, reason: string) => {
    queues[arn] = null;
    for (const name of readers.get(arn) ?? []) missing.forFunction(name, "queues", reason);
  };
  const sqs = ports.sqs;
  if (sqs === undefined) {
    for (const arn of arns) failed(arn, "SQS queue attributes are not read by this collection");
    return { queues, requests: 0 };
  }
  const failures: string[] = [];
  let sent = 0;
  const read = async (arn: string) => {
    // GetQueueUrl + GetQueueAttributes.
    sent += 2;
    return { visibilityTimeout: (await sqs.queueAttributes(arn)).visibilityTimeout };
  };
  const cache = ports.queueCache;
  await mapWithConcurrency(arns, FAN_OUT, async (arn) => {
    try {
      queues[arn] = await (cache ? cache.get(arn, () => read(arn)) : read(arn));
    } catch (e) {
      const reason = `GetQueueAttributes ${arn}: ${toOutcomeError(e).message}`;
      failures.push(reason);
      failed(arn, reason);
    }
  });
  if (failures.length > 0) gaps.push(`${failures[0]} (${failures.length} of ${arns.length} queues unread)`);
  return { queues, requests: sent };
}

/** Step 3: the async config of functions with async activity; their DLQ from the listed configuration. */
export async function readAsyncConfigs(
  ports: SourcesPorts,
  functions: readonly FunctionConfig[],
  gaps: string[],
  missing: MissingBySource,
  stored?: StoredTriggers,
): Promise<{ async: Map<string, NonNullable<TriggerSources["async"]>>; requests: number }> {
  const async = new Map<string, NonNullable<TriggerSources["async"]>>();
  const active: FunctionConfig[] = [];
  for (const c of functions) {
    const kept = stored?.async.get(c.name);
    if (kept && stored!.now - kept.readAt <= STORED_ASYNC_MAX_AGE_MS)
      async.set(c.name, { config: kept.config, deadLetterTarget: c.deadLetterTarget ?? null });
    else active.push(c);
  }
  // The dead-letter queue is the listed configuration's: known even when the event invoke config is not.
  const unread = (c: FunctionConfig, reason: string) => {
    async.set(c.name, { deadLetterTarget: c.deadLetterTarget ?? null });
    missing.forFunction(c.name, "async", reason);
  };
  const triggers = ports.triggers;
  if (triggers === undefined) {
    for (const c of active) unread(c, "the event invoke config is not read by this collection");
    return { async, requests: 0 };
  }
  const failures: string[] = [];
  await mapWithConcurrency(active, FAN_OUT, async (c) => {
    try {
      const config = await triggers.getFunctionEventInvokeConfig(c.name);
      async.set(c.name, { config, deadLetterTarget: c.deadLetterTarget ?? null });
    } catch (e) {
      const reason = `GetFunctionEventInvokeConfig ${c.name}: ${toOutcomeError(e).message}`;
      failures.push(reason);
      unread(c, reason);
    }
  });
  if (failures.length > 0)
    gaps.push(`${failures[0]} (${failures.length} of ${active.length} functions unread)`);
  return { async, requests: active.length };
}

/** One function's TriggerSources from what the steps read; undefined when its mappings are unknown. */
export function sourcesOf(
  name: string,
  byFunction: ReadonlyMap<string, EventSourceMapping[]> | null,
  queues: TriggerSources["queues"],
  async: ReadonlyMap<string, NonNullable<TriggerSources["async"]>>,
): TriggerSources | undefined {
  if (byFunction === null) return undefined;
  const mappings = byFunction.get(name) ?? [];
  const own: TriggerSources["queues"] = {};
  for (const m of mappings.filter(isSqs)) own[m.sourceArn!] = queues[m.sourceArn!] ?? null;
  return { mappings, async: async.get(name) ?? null, queues: own };
}

/** Async activity worth reading the config for: events dropped or deliveries failed. */
export const asyncActive = (o: {
  asyncEventsDropped: number;
  destinationDeliveryFailures?: number | null;
  deadLetterErrors?: number | null;
}): boolean =>
  o.asyncEventsDropped > 0 || (o.destinationDeliveryFailures ?? 0) > 0 || (o.deadLetterErrors ?? 0) > 0;
