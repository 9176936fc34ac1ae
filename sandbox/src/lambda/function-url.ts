/**
 * GetFunctionUrlConfig (botocore 'lambda' GetFunctionUrlConfigResponse). Qualifier names an alias only
 * (FunctionUrlQualifier: not a version number, not $LATEST); CreationTime and LastModifiedTime are ISO-8601 strings.
 */
import type { FunctionUrl } from "../fleet/model";
import { jsonResponse } from "../protocol/errors";
import { qualifiedTarget, type Call, type Route } from "./call";
import { notFound, validation } from "./errors";
import { functionArn } from "./names";

const QUALIFIER_PATTERN_TEXT = "((?!^\\d+$)^[0-9a-zA-Z-_]+$)";
const QUALIFIER_PATTERN = new RegExp(QUALIFIER_PATTERN_TEXT);

function renderCors(cors: NonNullable<FunctionUrl["cors"]>) {
  return {
    AllowCredentials: cors.allowCredentials,
    AllowHeaders: cors.allowHeaders,
    AllowMethods: cors.allowMethods,
    AllowOrigins: cors.allowOrigins,
    ExposeHeaders: cors.exposeHeaders,
    MaxAge: cors.maxAge,
  };
}

function renderUrl(c: Call, name: string, url: FunctionUrl) {
  return {
    FunctionUrl: `https://${url.urlId}.lambda-url.${c.scope.region}.on.aws/`,
    FunctionArn: functionArn(c.scope.region, c.scope.accountId, name, url.qualifier),
    AuthType: url.authType,
    ...(url.cors ? { Cors: renderCors(url.cors) } : {}),
    CreationTime: new Date(url.createdMs).toISOString(),
    LastModifiedTime: new Date(url.lastModifiedMs).toISOString(),
    InvokeMode: url.invokeMode,
  };
}

export const FUNCTION_URL_ROUTES: Route[] = [
  {
    method: "GET",
    pattern: /^\/2021-10-31\/functions\/([^/]+)\/url\/?$/,
    operation: "GetFunctionUrlConfig",
    run(c) {
      const raw = c.req.query.get("Qualifier");
      if (raw !== null && !QUALIFIER_PATTERN.test(raw))
        throw validation(
          raw,
          "qualifier",
          `Member must satisfy regular expression pattern: ${QUALIFIER_PATTERN_TEXT}`,
        );
      const { fn, qualifier } = qualifiedTarget(c);
      const url = fn.functionUrl;
      if (!url || url.qualifier !== qualifier) throw notFound("The resource you requested does not exist.");
      return jsonResponse(200, renderUrl(c, fn.name, url));
    },
  },
];
