/**
 * The Lambda control plane (restJson1), for the operations the console uses. Paths, query names and
 * error codes follow botocore's 'lambda' service model. Only UpdateAlias mutates state. Triggers and async
 * configuration live in their own files (event-sources.ts, policy.ts, function-url.ts, event-invoke-config.ts,
 * recursion-config.ts).
 */
import type { SimFunction } from "../fleet/model";
import type { SandboxRequest, ServiceHandler } from "../http/types";
import { jsonResponse, restJsonError } from "../protocol/errors";
import { LambdaError, invalidParameter, notFound, validation } from "./errors";
import { functionArn, resolveFunction } from "./names";
import { paginate } from "./paging";
import { isoSecondsTimestamp, renderAlias, renderCode, renderConfiguration } from "./render";
import { UpdateAliasBody, updateAlias } from "./update-alias";
import { awsIssues, validationMessage } from "../protocol/validation";
import { FN, param, sortedFunctions, unqualifiedTarget, type Call, type Route } from "./call";
import { EVENT_INVOKE_CONFIG_ROUTES } from "./event-invoke-config";
import { EVENT_SOURCE_ROUTES } from "./event-sources";
import { FUNCTION_URL_ROUTES } from "./function-url";
import { POLICY_ROUTES } from "./policy";
import { RECURSION_CONFIG_ROUTES } from "./recursion-config";

const TOTAL_CODE_SIZE_LIMIT = 80_530_636_800; // 75 GB
const CODE_SIZE_UNZIPPED = 262_144_000; // 250 MB
const CODE_SIZE_ZIPPED = 52_428_800; // 50 MB

const unqualified = unqualifiedTarget;

/** The version a qualifier names: $LATEST, a published version, or an alias's primary version. */
function versionFor(c: Call, fn: SimFunction, qualifier: string | null) {
  const missing = () =>
    notFound(`Function not found: ${functionArn(c.scope.region, c.scope.accountId, fn.name, qualifier)}`);
  if (qualifier === null || qualifier === "$LATEST") return fn.latest;
  if (/^[0-9]+$/.test(qualifier)) {
    const v = fn.versions.find((x) => x.version === qualifier);
    if (!v) throw missing();
    return v;
  }
  const alias = fn.aliases.find((a) => a.name === qualifier);
  const target = alias?.history[alias.history.length - 1]?.functionVersion;
  if (!target) throw missing();
  return target === "$LATEST" ? fn.latest : (fn.versions.find((x) => x.version === target) ?? fn.latest);
}

function qualified(c: Call) {
  const { fn, qualifier } = resolveFunction(c.ctx.account, c.scope.region, param(c, 0), {
    allowQualifier: true,
    qualifierParam: c.req.query.get("Qualifier"),
  });
  return { fn, qualifier, version: versionFor(c, fn, qualifier) };
}

const concurrency = (fn: SimFunction) =>
  fn.reservedConcurrency === null ? {} : { ReservedConcurrentExecutions: fn.reservedConcurrency };

const CORE_ROUTES: Route[] = [
  {
    method: "GET",
    pattern: /^\/2015-03-31\/functions\/?$/,
    operation: "ListFunctions",
    run(c) {
      const fv = c.req.query.get("FunctionVersion");
      if (fv !== null && fv !== "ALL")
        throw validation(fv, "functionVersion", "Member must satisfy enum value set: [ALL]");
      const fns = sortedFunctions(c.region);
      const entries =
        fv === "ALL"
          ? fns.flatMap((fn) => [
              renderConfiguration(c.scope, fn, fn.latest, "$LATEST"),
              ...fn.versions.map((v) => renderConfiguration(c.scope, fn, v, v.version)),
            ])
          : null;
      if (entries) {
        const page = paginate(entries, c.req.query);
        return jsonResponse(200, {
          Functions: page.items,
          ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
        });
      }
      const page = paginate(fns, c.req.query);
      return jsonResponse(200, {
        Functions: page.items.map((fn) => renderConfiguration(c.scope, fn, fn.latest, null)),
        ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
      });
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/2015-03-31/functions/${FN}/?$`),
    operation: "GetFunction",
    run(c) {
      const { fn, qualifier, version } = qualified(c);
      return jsonResponse(200, {
        Configuration: renderConfiguration(c.scope, fn, version, qualifier),
        Code: renderCode(c.scope, fn, version),
        ...(Object.keys(fn.tags).length > 0 ? { Tags: { ...fn.tags } } : {}),
        ...(fn.reservedConcurrency === null ? {} : { Concurrency: concurrency(fn) }),
      });
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/2015-03-31/functions/${FN}/configuration/?$`),
    operation: "GetFunctionConfiguration",
    run(c) {
      const { fn, qualifier, version } = qualified(c);
      return jsonResponse(200, renderConfiguration(c.scope, fn, version, qualifier));
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/2015-03-31/functions/${FN}/versions/?$`),
    operation: "ListVersionsByFunction",
    run(c) {
      const fn = unqualified(c);
      const all = [fn.latest, ...fn.versions].map((v) => renderConfiguration(c.scope, fn, v, v.version));
      const page = paginate(all, c.req.query);
      return jsonResponse(200, {
        Versions: page.items,
        ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
      });
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/2015-03-31/functions/${FN}/aliases/?$`),
    operation: "ListAliases",
    run(c) {
      const fn = unqualified(c);
      const filter = c.req.query.get("FunctionVersion");
      const aliases = fn.aliases.filter(
        (a) => filter === null || a.history[a.history.length - 1]?.functionVersion === filter,
      );
      const page = paginate(aliases, c.req.query);
      return jsonResponse(200, {
        Aliases: page.items.map((a) => renderAlias(c.scope, fn, a)),
        ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
      });
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/2015-03-31/functions/${FN}/aliases/([^/]+)/?$`),
    operation: "GetAlias",
    run(c) {
      const fn = unqualified(c);
      const name = param(c, 1);
      const alias = fn.aliases.find((a) => a.name === name);
      if (!alias)
        throw notFound(`Alias not found: ${functionArn(c.scope.region, c.scope.accountId, fn.name, name)}`);
      return jsonResponse(200, renderAlias(c.scope, fn, alias));
    },
  },
  {
    method: "PUT",
    pattern: new RegExp(`^/2015-03-31/functions/${FN}/aliases/([^/]+)/?$`),
    operation: "UpdateAlias",
    run(c) {
      const fn = unqualified(c);
      let body: unknown;
      try {
        body = c.req.body.length === 0 ? {} : JSON.parse(c.req.body.toString("utf8"));
      } catch {
        throw new LambdaError(400, "SerializationException", "Could not parse request body into json");
      }
      const input = UpdateAliasBody.safeParse(body);
      if (!input.success) {
        const issues = awsIssues(input.error, body);
        const wrongType = issues.some((i) => i.typeMismatch);
        throw new LambdaError(
          400,
          wrongType ? "SerializationException" : "ValidationException",
          validationMessage(issues),
        );
      }
      const alias = updateAlias(
        { ...c.scope, seed: c.ctx.account.seed, now: c.ctx.now() },
        fn,
        param(c, 1),
        input.data,
      );
      return jsonResponse(200, renderAlias(c.scope, fn, alias));
    },
  },
  {
    method: "GET",
    pattern: /^\/2016-08-19\/account-settings\/?$/,
    operation: "GetAccountSettings",
    run(c) {
      let reserved = 0;
      let totalCodeSize = 0;
      for (const fn of c.region.functions.values()) {
        reserved += fn.reservedConcurrency ?? 0;
        for (const v of fn.versions) totalCodeSize += v.codeSize;
        if (!fn.versions.some((v) => v.codeSha256 === fn.latest.codeSha256))
          totalCodeSize += fn.latest.codeSize;
      }
      return jsonResponse(200, {
        AccountLimit: {
          TotalCodeSize: TOTAL_CODE_SIZE_LIMIT,
          CodeSizeUnzipped: CODE_SIZE_UNZIPPED,
          CodeSizeZipped: CODE_SIZE_ZIPPED,
          ConcurrentExecutions: c.region.accountConcurrency,
          UnreservedConcurrentExecutions: c.region.accountConcurrency - reserved,
        },
        AccountUsage: { TotalCodeSize: totalCodeSize, FunctionCount: c.region.functions.size },
      });
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/2019-09-30/functions/${FN}/concurrency/?$`),
    operation: "GetFunctionConcurrency",
    run: (c) => jsonResponse(200, concurrency(unqualified(c))),
  },
  {
    method: "GET",
    pattern: new RegExp(`^/2019-09-30/functions/${FN}/provisioned-concurrency/?$`),
    operation: "ListProvisionedConcurrencyConfigs",
    when: (q) => q.get("List") === "ALL",
    run(c) {
      const fn = unqualified(c);
      const page = paginate(fn.provisioned, c.req.query, 50);
      return jsonResponse(200, {
        ProvisionedConcurrencyConfigs: page.items.map((p) => renderProvisioned(c, fn, p)),
        ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
      });
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/2019-09-30/functions/${FN}/provisioned-concurrency/?$`),
    operation: "GetProvisionedConcurrencyConfig",
    run(c) {
      const fn = unqualified(c);
      const q = c.req.query.get("Qualifier");
      if (!q) throw validation("null", "qualifier", "Member must not be null");
      const p = fn.provisioned.find((x) => x.qualifier === q);
      if (!p)
        throw new LambdaError(
          404,
          "ProvisionedConcurrencyConfigNotFoundException",
          "No Provisioned Concurrency Config found for this function",
        );
      const { FunctionArn: _arn, ...rest } = renderProvisioned(c, fn, p);
      return jsonResponse(200, rest);
    },
  },
  {
    method: "GET",
    pattern: /^\/2017-03-31\/tags\/([^/]+)\/?$/,
    operation: "ListTags",
    run(c) {
      const arn = param(c, 0);
      if (!arn.startsWith("arn:")) throw invalidParameter(`Invalid resource ARN: ${arn}`);
      const { fn } = resolveFunction(c.ctx.account, c.scope.region, arn, { allowQualifier: false });
      return jsonResponse(200, { Tags: { ...fn.tags } });
    },
  },
];

const ROUTES: Route[] = [
  ...CORE_ROUTES,
  ...EVENT_SOURCE_ROUTES,
  ...POLICY_ROUTES,
  ...FUNCTION_URL_ROUTES,
  ...EVENT_INVOKE_CONFIG_ROUTES,
  ...RECURSION_CONFIG_ROUTES,
];

function renderProvisioned(c: Call, fn: SimFunction, p: SimFunction["provisioned"][number]) {
  const newest = fn.versions[fn.versions.length - 1];
  return {
    FunctionArn: functionArn(c.scope.region, c.scope.accountId, fn.name, p.qualifier),
    RequestedProvisionedConcurrentExecutions: p.requested,
    AvailableProvisionedConcurrentExecutions: p.requested,
    AllocatedProvisionedConcurrentExecutions: p.requested,
    Status: "READY",
    LastModified: isoSecondsTimestamp(newest?.lastModifiedMs ?? fn.createdMs),
  };
}

function match(
  req: Pick<SandboxRequest, "method" | "path" | "query">,
): { route: Route; params: string[] } | null {
  for (const route of ROUTES) {
    if (route.method !== req.method) continue;
    const m = route.pattern.exec(req.path);
    if (m && (!route.when || route.when(req.query))) return { route, params: m.slice(1) };
  }
  return null;
}

/** The operation a request names, without running it (for fault overrides and counters). */
export const lambdaOperation = (req: Pick<SandboxRequest, "method" | "path" | "query">): string | null =>
  match(req)?.route.operation ?? null;

export const handleLambda: ServiceHandler = (req, ctx) => {
  const found = match(req);
  if (!found)
    return restJsonError(400, "UnknownOperationException", `Unknown operation: ${req.method} ${req.path}`);
  const region = ctx.account.regions.get(req.region);
  const operation = found.route.operation;
  if (!region)
    return {
      ...restJsonError(
        403,
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
      ),
      operation,
    };
  try {
    const res = found.route.run({
      req,
      ctx,
      params: found.params,
      scope: { region: req.region, accountId: ctx.account.accountId },
      region,
    });
    return { ...res, operation };
  } catch (e) {
    if (e instanceof LambdaError)
      return { ...restJsonError(e.status, e.code, e.message, e.extra), operation };
    throw e;
  }
};
