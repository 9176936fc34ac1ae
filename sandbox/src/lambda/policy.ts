/**
 * GetPolicy: the function's resource-based policy, returned as a JSON *string* (botocore 'lambda' GetPolicyResponse).
 * The sandbox's statements sit on the unqualified function ($LATEST shares it); a version or alias has none.
 */
import type { PushSource, SimFunction } from "../fleet/model";
import { jsonResponse } from "../protocol/errors";
import { FN, qualifiedTarget, type Call, type Route } from "./call";
import { notFound } from "./errors";
import { functionArn } from "./names";

function statement(c: Call, fn: SimFunction, s: PushSource) {
  const arn = functionArn(c.scope.region, c.scope.accountId, fn.name);
  const condition = {
    ...(s.sourceAccount === null ? {} : { StringEquals: { "AWS:SourceAccount": s.sourceAccount } }),
    ...(s.sourceArn === null ? {} : { ArnLike: { "AWS:SourceArn": s.sourceArn } }),
  };
  return {
    Sid: s.sid,
    Effect: "Allow",
    Principal: { Service: s.principal },
    Action: s.action ?? "lambda:InvokeFunction",
    // A statement limited to one version (Lambda@Edge's replicator) names that version's ARN.
    Resource: s.qualifier === undefined ? arn : `${arn}:${s.qualifier}`,
    ...(Object.keys(condition).length === 0 ? {} : { Condition: condition }),
  };
}

export const POLICY_ROUTES: Route[] = [
  {
    method: "GET",
    pattern: new RegExp(`^/2015-03-31/functions/${FN}/policy/?$`),
    operation: "GetPolicy",
    run(c) {
      const { fn, qualifier } = qualifiedTarget(c);
      const sources = qualifier === null || qualifier === "$LATEST" ? (fn.pushSources ?? []) : [];
      if (sources.length === 0 || !fn.policyRevisionId)
        throw notFound("The resource you requested does not exist.");
      const policy = {
        Version: "2012-10-17",
        Id: "default",
        Statement: sources.map((s) => statement(c, fn, s)),
      };
      return jsonResponse(200, { Policy: JSON.stringify(policy), RevisionId: fn.policyRevisionId });
    },
  },
];
