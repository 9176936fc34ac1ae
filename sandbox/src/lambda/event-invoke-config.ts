/**
 * GetFunctionEventInvokeConfig and ListFunctionEventInvokeConfigs (botocore 'lambda' FunctionEventInvokeConfig).
 * The sandbox's configs sit on the unqualified function, which AWS reports as `…:function:name:$LATEST`;
 * LastModified is a restJson1 timestamp (epoch seconds). A function without one answers AWS's
 * "The function … doesn't have an EventInvokeConfig"; its list is empty.
 */
import type { AsyncInvokeConfig, SimFunction } from "../fleet/model";
import { jsonResponse } from "../protocol/errors";
import { FN, nextMarker, qualifiedTarget, unqualifiedTarget, type Call, type Route } from "./call";
import { notFound } from "./errors";
import { functionArn } from "./names";
import { paginate } from "./paging";

/** MaxFunctionEventInvokeConfigListItems: 1–50. */
const LIST_MAX = 50;

function renderConfig(c: Call, fn: SimFunction, cfg: AsyncInvokeConfig) {
  const destination = (arn: string | null) => (arn ? { Destination: arn } : {});
  return {
    LastModified: cfg.lastModifiedMs / 1000,
    FunctionArn: functionArn(c.scope.region, c.scope.accountId, fn.name, "$LATEST"),
    MaximumRetryAttempts: cfg.maximumRetryAttempts,
    MaximumEventAgeInSeconds: cfg.maximumEventAgeInSeconds,
    DestinationConfig: { OnSuccess: destination(cfg.onSuccess), OnFailure: destination(cfg.onFailure) },
  };
}

export const EVENT_INVOKE_CONFIG_ROUTES: Route[] = [
  {
    method: "GET",
    pattern: new RegExp(`^/2019-09-25/functions/${FN}/event-invoke-config/list/?$`),
    operation: "ListFunctionEventInvokeConfigs",
    run(c) {
      const fn = unqualifiedTarget(c);
      const page = paginate(fn.asyncConfig ? [fn.asyncConfig] : [], c.req.query, LIST_MAX);
      return jsonResponse(200, {
        FunctionEventInvokeConfigs: page.items.map((cfg) => renderConfig(c, fn, cfg)),
        ...nextMarker(page.nextMarker),
      });
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/2019-09-25/functions/${FN}/event-invoke-config/?$`),
    operation: "GetFunctionEventInvokeConfig",
    run(c) {
      const { fn, qualifier } = qualifiedTarget(c);
      const onLatest = qualifier === null || qualifier === "$LATEST";
      if (!fn.asyncConfig || !onLatest)
        throw notFound(
          `The function ${functionArn(c.scope.region, c.scope.accountId, fn.name, qualifier ?? "$LATEST")} doesn't have an EventInvokeConfig`,
        );
      return jsonResponse(200, renderConfig(c, fn, fn.asyncConfig));
    },
  },
];
