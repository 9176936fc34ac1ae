/**
 * ListEventSourceMappings and GetEventSourceMapping (botocore 'lambda': EventSourceMappingConfiguration).
 * Mappings belong to the region; the list runs in function-name order, each function's mappings in model order.
 * LastModified is a restJson1 timestamp: epoch seconds.
 */
import type { EventSourceMapping, RegionState, SimFunction } from "../fleet/model";
import { jsonResponse } from "../protocol/errors";
import { nextMarker, param, sortedFunctions, type Call, type Route } from "./call";
import { notFound, validation } from "./errors";
import { functionArn, resolveFunction } from "./names";
import { paginate } from "./paging";

/** botocore's `Arn` shape pattern (the EventSourceArn filter). */
const ARN_PATTERN_TEXT =
  "arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)";
const ARN_PATTERN = new RegExp(`^${ARN_PATTERN_TEXT}$`);

interface Owned {
  fn: SimFunction;
  mapping: EventSourceMapping;
}

const ownedCache = new WeakMap<RegionState, Owned[]>();
function regionMappings(region: RegionState): Owned[] {
  let list = ownedCache.get(region);
  if (!list) {
    list = sortedFunctions(region).flatMap((fn) =>
      (fn.eventSources ?? []).map((mapping) => ({ fn, mapping })),
    );
    ownedCache.set(region, list);
  }
  return list;
}

export function renderMapping(c: Call, { fn, mapping: m }: Owned) {
  const stream =
    m.kind === "sqs"
      ? {}
      : {
          StartingPosition: m.startingPosition,
          ParallelizationFactor: m.parallelizationFactor,
          LastProcessingResult: m.lastProcessingResult,
          DestinationConfig: {
            OnFailure: m.onFailureDestination ? { Destination: m.onFailureDestination } : {},
          },
          MaximumRecordAgeInSeconds: m.maximumRecordAgeInSeconds,
          BisectBatchOnFunctionError: m.bisectBatchOnFunctionError,
          MaximumRetryAttempts: m.maximumRetryAttempts,
          TumblingWindowInSeconds: 0,
        };
  return {
    UUID: m.uuid,
    BatchSize: m.batchSize,
    MaximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
    EventSourceArn: m.eventSourceArn,
    ...(m.filterPatterns.length > 0
      ? { FilterCriteria: { Filters: m.filterPatterns.map((Pattern) => ({ Pattern })) } }
      : {}),
    FunctionArn: functionArn(c.scope.region, c.scope.accountId, fn.name),
    LastModified: m.lastModifiedMs / 1000,
    State: m.state,
    StateTransitionReason: m.stateTransitionReason,
    ...stream,
    FunctionResponseTypes: m.reportBatchItemFailures ? ["ReportBatchItemFailures"] : [],
    EventSourceMappingArn: `arn:aws:lambda:${c.scope.region}:${c.scope.accountId}:event-source-mapping:${m.uuid}`,
    ...(m.metricsEnabled ? { MetricsConfig: { Metrics: ["EventCount"] } } : {}),
  };
}

/** The FunctionName filter: a name or ARN of this region's function; a qualified one matches no mapping here. */
function functionFilter(c: Call, raw: string): (o: Owned) => boolean {
  const { fn, qualifier } = resolveFunction(c.ctx.account, c.scope.region, raw, { allowQualifier: true });
  return (o) => o.fn === fn && qualifier === null;
}

export const EVENT_SOURCE_ROUTES: Route[] = [
  {
    method: "GET",
    pattern: /^\/2015-03-31\/event-source-mappings\/?$/,
    operation: "ListEventSourceMappings",
    run(c) {
      const sourceArn = c.req.query.get("EventSourceArn");
      if (sourceArn !== null && !ARN_PATTERN.test(sourceArn))
        throw validation(
          sourceArn,
          "eventSourceArn",
          `Member must satisfy regular expression pattern: ${ARN_PATTERN_TEXT}`,
        );
      const name = c.req.query.get("FunctionName");
      const byFunction = name === null ? () => true : functionFilter(c, name);
      const matching = regionMappings(c.region).filter(
        (o) => byFunction(o) && (sourceArn === null || o.mapping.eventSourceArn === sourceArn),
      );
      const page = paginate(matching, c.req.query);
      return jsonResponse(200, {
        EventSourceMappings: page.items.map((o) => renderMapping(c, o)),
        ...nextMarker(page.nextMarker),
      });
    },
  },
  {
    method: "GET",
    pattern: /^\/2015-03-31\/event-source-mappings\/([^/]+)\/?$/,
    operation: "GetEventSourceMapping",
    run(c) {
      const uuid = param(c, 0);
      const found = regionMappings(c.region).find((o) => o.mapping.uuid === uuid);
      if (!found) throw notFound("The resource you requested does not exist.");
      return jsonResponse(200, renderMapping(c, found));
    },
  },
];
