/**
 * FunctionName as Lambda accepts it: a name (`my-fn`), a partial ARN (`123456789012:function:my-fn`) or a full
 * ARN (`arn:aws:lambda:us-east-1:123456789012:function:my-fn`), each optionally with `:qualifier`.
 * The function must live in the request's region and the sandbox's account.
 */
import { LambdaError, invalidParameter, notFound, validation } from "./errors";
import type { SandboxAccount, SimFunction } from "../fleet/model";

const NAME = "[a-zA-Z0-9-_]+";
const QUAL = "\\$LATEST|[a-zA-Z0-9-_]+";
const FULL_ARN = new RegExp(
  `^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\\d{12}):function:(${NAME})(?::(${QUAL}))?$`,
);
const PARTIAL_ARN = new RegExp(`^(\\d{12}):function:(${NAME})(?::(${QUAL}))?$`);
const PLAIN = new RegExp(`^(${NAME})(?::(${QUAL}))?$`);
const NAME_PATTERN_TEXT =
  "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";
const QUALIFIER = /^[a-zA-Z0-9$_-]+$/;

export interface FunctionRef {
  name: string;
  qualifier: string | null;
  region: string | null;
  accountId: string | null;
}

export function parseFunctionName(raw: string): FunctionRef {
  let m = FULL_ARN.exec(raw);
  if (m)
    return { region: m[1] ?? null, accountId: m[2] ?? null, name: m[3] as string, qualifier: m[4] ?? null };
  m = PARTIAL_ARN.exec(raw);
  if (m) return { region: null, accountId: m[1] ?? null, name: m[2] as string, qualifier: m[3] ?? null };
  m = PLAIN.exec(raw);
  if (m && raw.length <= 140 && (m[1] as string).length <= 64)
    return { region: null, accountId: null, name: m[1] as string, qualifier: m[2] ?? null };
  throw validation(
    raw,
    "functionName",
    `Member must satisfy regular expression pattern: ${NAME_PATTERN_TEXT}`,
  );
}

export const functionArn = (region: string, accountId: string, name: string, qualifier?: string | null) =>
  `arn:aws:lambda:${region}:${accountId}:function:${name}${qualifier ? `:${qualifier}` : ""}`;

export interface Resolved {
  fn: SimFunction;
  /** The qualifier from the name or the Qualifier parameter, if any. */
  qualifier: string | null;
}

/**
 * Finds the function a FunctionName (and optional Qualifier parameter) names.
 * `allowQualifier` is false for operations on the unqualified function (ListAliases, GetAlias, …).
 */
export function resolveFunction(
  account: SandboxAccount,
  region: string,
  rawName: string,
  opts: { qualifierParam?: string | null; allowQualifier: boolean },
): Resolved {
  const ref = parseFunctionName(rawName);
  if (ref.region && ref.region !== region)
    throw invalidParameter(`Functions from '${ref.region}' are not reachable in this region ('${region}')`);
  if (ref.accountId && ref.accountId !== account.accountId)
    throw new LambdaError(
      403,
      "AccessDeniedException",
      `User is not authorized to access function ${functionArn(region, ref.accountId, ref.name)}`,
    );
  const param = opts.qualifierParam ?? null;
  if (param !== null && !QUALIFIER.test(param))
    throw validation(
      param,
      "qualifier",
      "Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)",
    );
  if (ref.qualifier && param && ref.qualifier !== param)
    throw invalidParameter(
      "The derived qualifier from the function name does not match the specified qualifier.",
    );
  const qualifier = param ?? ref.qualifier;
  if (qualifier && !opts.allowQualifier)
    throw invalidParameter(
      `Unsupported qualifier in function name: ${rawName}. Specify the unqualified function name.`,
    );
  const fn = account.regions.get(region)?.functions.get(ref.name);
  if (!fn)
    throw notFound(`Function not found: ${functionArn(region, account.accountId, ref.name, qualifier)}`);
  return { fn, qualifier };
}
