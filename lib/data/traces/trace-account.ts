/**
 * Which accounts a trace belongs to, read from its own documents. Needed where X-Ray is read through a CloudWatch
 * cross-account observability monitoring account: there GetTraceSummaries and BatchGetTraces also answer with
 * every linked source's traces, so a trace or summary asked for one account must be checked to be that account's
 * (else a member's trace would open under another member's id).
 *
 * Evidence: Lambda ARNs (`arn:<partition>:lambda:<region>:<account>:function:…`) in segment `resource_arn`,
 * OTel `cloud.resource_id` or summary ResourceARNs, and X-Ray's `aws.account_id` / OTel `cloud.account.id`.
 */
import type { RawSegment, TraceSummary } from "@/lib/core/traces/types";

const LAMBDA_ARN = /arn:aws[a-z-]*:lambda:[a-z0-9-]+:(\d{12}):function:/g;
const ACCOUNT_FIELD = /"(?:account_id|cloud\.account\.id)"\s*:\s*"(\d{12})"/g;

function accountsIn(texts: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(LAMBDA_ARN)) found.add(m[1]!);
    for (const m of text.matchAll(ACCOUNT_FIELD)) found.add(m[1]!);
  }
  return found;
}

/**
 * The trace names this account, or names no account at all (nothing to contradict it: the monitoring account
 * answered for a trace id, and it reads only its linked sources and itself).
 */
export function traceIsOf(documents: readonly RawSegment[], account: string): boolean {
  const found = accountsIn(documents.map((d) => d.document));
  return found.size === 0 || found.has(account);
}

/** The same rule for a trace summary, from its resource ARNs. */
export function summaryIsOf(summary: Pick<TraceSummary, "resourceArns">, account: string): boolean {
  const found = accountsIn(summary.resourceArns);
  return found.size === 0 || found.has(account);
}
