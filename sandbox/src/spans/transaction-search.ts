/**
 * Where a region's trace segments go (X-Ray's GetTraceSegmentDestination), a model fact of the sandbox account:
 * eu-west-1 has Transaction Search on (destination CloudWatchLogs: every span lands in the `aws/spans` log group
 * and X-Ray indexes a share of the traces), every other region sends segments to X-Ray as before.
 *
 * Invariants:
 * - Indexing is AWS's default rule ("By default you will also index 1% of ingested spans for free as trace
 *   summary", CloudWatch guide, "Enable transaction search"): a trace is indexed iff a hash of its trace id falls
 *   in the lowest INDEXED_PERCENT % — deterministic, so every read agrees on which traces X-Ray can see.
 * - In an X-Ray region every sampled trace is visible to X-Ray; nothing is indexed or dropped.
 */
import { unit } from "../xray/hash";

export type TraceSegmentDestination = "XRay" | "CloudWatchLogs";

/** Regions of the sandbox account that have Transaction Search enabled. */
export const TRANSACTION_SEARCH_REGIONS: ReadonlySet<string> = new Set(["eu-west-1"]);

/** The Default indexing rule's DesiredSamplingPercentage (AWS's default, 1 %). */
export const INDEXED_PERCENT = 1;

/** The log group Transaction Search writes spans to. */
export const SPANS_LOG_GROUP = "aws/spans";

export const hasTransactionSearch = (region: string): boolean => TRANSACTION_SEARCH_REGIONS.has(region);

export const destinationOf = (region: string): TraceSegmentDestination =>
  hasTransactionSearch(region) ? "CloudWatchLogs" : "XRay";

/** True when the Default indexing rule picks this trace (independent of region). */
export const isIndexed = (traceId: string): boolean => unit(`indexing:${traceId}`) * 100 < INDEXED_PERCENT;

/** True when X-Ray's own APIs (summaries, BatchGetTraces, graphs) can see this sampled trace in `region`. */
export const visibleInXRay = (region: string, traceId: string): boolean =>
  !hasTransactionSearch(region) || isIndexed(traceId);
