/**
 * Push sources from a function's resource-based policy (GetPolicy's `Policy`, a JSON string).
 *
 * The text is untrusted: anyone allowed to call AddPermission shapes it. It is size-capped, JSON-parsed and
 * zod-checked; anything unexpected gives `{ readable: false, reason }` so the page says so, never a throw.
 * IAM grammar tolerated (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html):
 * `Statement` as one object or an array; `Principal` as `*`, `{ Service }` or `{ AWS }`, each a string or a list;
 * `Action` a string or a list; the source in `Condition.ArnLike` or `ArnEquals` under `AWS:SourceArn` (condition
 * keys are case-insensitive). One push source per principal and source ARN of each Allow statement.
 */
import { z } from "zod";
import { FleetscopeError } from "../errors";
import type { PolicyReading, PushSource, PushSourceKind } from "./types";

/** Lambda caps a resource policy at 20 KB; well past it the text is not a policy AWS returned. */
const MAX_POLICY_CHARS = 64 * 1024;

const oneOrMany = z.union([z.string(), z.array(z.string())]);
const many = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat());

const statementShape = z.object({
  Sid: z.string().optional(),
  Effect: z.enum(["Allow", "Deny"]),
  Principal: z.union([
    z.literal("*"),
    z.object({ Service: oneOrMany.optional(), AWS: oneOrMany.optional() }).passthrough(),
  ]),
  Action: oneOrMany,
  Resource: oneOrMany.optional(),
  Condition: z.record(z.string(), z.record(z.string(), oneOrMany)).optional(),
});
type Statement = z.infer<typeof statementShape>;

const policyShape = z.object({
  Statement: z.union([statementShape, z.array(statementShape)]),
});

const KIND_BY_PRINCIPAL: Readonly<Record<string, PushSourceKind>> = {
  "apigateway.amazonaws.com": "apigateway",
  "s3.amazonaws.com": "s3",
  "sns.amazonaws.com": "sns",
  "events.amazonaws.com": "events",
  // Lambda@Edge replicates through edgelambda; CloudFront itself is the caller.
  "edgelambda.amazonaws.com": "cloudfront",
  "cloudfront.amazonaws.com": "cloudfront",
};

export const pushSourceKind = (principal: string): PushSourceKind =>
  KIND_BY_PRINCIPAL[principal.toLowerCase()] ?? "other";

function principals(s: Statement): string[] {
  if (s.Principal === "*") return ["*"];
  return [...many(s.Principal.Service), ...many(s.Principal.AWS)];
}

function sourceArns(s: Statement): string[] {
  const arns: string[] = [];
  for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
    if (operator !== "ArnLike" && operator !== "ArnEquals") continue;
    for (const [key, value] of Object.entries(keys))
      if (key.toLowerCase() === "aws:sourcearn") arns.push(...many(value));
  }
  return arns;
}

/** The qualifier of a statement's single Resource ARN (`arn:aws:lambda:r:a:function:name:qualifier`), if any. */
function qualifierOf(s: Statement): string | undefined {
  const resources = many(s.Resource);
  if (resources.length !== 1) return undefined;
  return /^arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+:([^:]+)$/.exec(resources[0] ?? "")?.[1];
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const at = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
  return `unexpected policy shape${at}: ${issue?.message ?? "invalid"}`;
}

export function parsePolicy(text: string): PolicyReading {
  if (text.length > MAX_POLICY_CHARS)
    return { readable: false, reason: `policy is ${text.length} characters, over ${MAX_POLICY_CHARS}` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { readable: false, reason: "policy is not JSON" };
  }
  const parsed = policyShape.safeParse(json);
  if (!parsed.success) return { readable: false, reason: describeIssue(parsed.error) };

  const sources: PushSource[] = [];
  [parsed.data.Statement].flat().forEach((s, index) => {
    if (s.Effect !== "Allow") return;
    const sid = s.Sid ?? `statement ${index + 1}`;
    const arns = sourceArns(s);
    const qualifier = qualifierOf(s);
    const limitedTo = qualifier === undefined ? {} : { qualifier };
    for (const principal of principals(s)) {
      const kind = pushSourceKind(principal);
      if (arns.length === 0) sources.push({ sid, principal, kind, sourceArn: null, ...limitedTo });
      for (const sourceArn of arns) sources.push({ sid, principal, kind, sourceArn, ...limitedTo });
    }
  });
  return { readable: true, sources };
}

/**
 * The push sources of GetPolicy's answer (null: the function has no policy, so none); a policy we cannot read is
 * an Unavailable error, not an empty list.
 */
export function pushSourcesOf(text: string | null): PushSource[] {
  if (text === null) return [];
  const reading = parsePolicy(text);
  if (!reading.readable) throw new FleetscopeError("Unavailable", `unreadable policy: ${reading.reason}`);
  return reading.sources;
}
