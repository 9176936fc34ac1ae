/**
 * URL state of the request page: `/requests/<requestId>?account=<id>&region=us-east-1&fn=<function>&at=<epoch ms>`.
 * `account` is the account the request ran in (absent: the default account; resolved, and refused when the
 * console does not read it, by lib/data/account-scopes).
 * `fn` narrows the search to that function's log group (else the region's fleet, bounded); `at` is a time near
 * the request (an invocation row's REPORT time) and narrows the window to ±20 minutes of it; without `at` the
 * shell's time range is searched. A bad `region` or `at` is ignored and said (`problems`).
 */
import { z } from "zod";
import { withAccount } from "./function-href";
import { param, type UrlInput, type UrlProblems } from "./params";

export interface RequestParams {
  /** As typed (trimmed); undefined when absent or blank. */
  account: string | undefined;
  region: string;
  fn: string | undefined;
  at: number | undefined;
  problems: UrlProblems<"region" | "at">;
}

const AROUND_MS = 20 * 60_000;
/** Digits only: `z.coerce.number` would read "" or "  " as 0 (epoch 0) and "1e12" or "0x10" as numbers. */
const epochMsParam = z
  .string()
  .trim()
  .regex(/^\d{1,16}$/)
  .transform(Number)
  .pipe(z.number().int().max(8.64e15));

export function loadRequestParams(params: UrlInput, regions: readonly string[]): RequestParams {
  const problems: RequestParams["problems"] = {};
  const asked = param(params, "region");
  const region = asked !== undefined && regions.includes(asked) ? asked : (regions[0] ?? "us-east-1");
  if (asked !== undefined && asked !== region)
    problems.region = `Region "${asked.slice(0, 40)}" is not configured: searching ${region}.`;
  // Absent, empty, blank or not an epoch in ms: no `at` (the shell's range is searched).
  const rawAt = param(params, "at");
  const at = epochMsParam.safeParse(rawAt);
  if (rawAt !== undefined && rawAt.trim() !== "" && !at.success)
    problems.at = `"at" must be a time in epoch milliseconds: searching the selected range instead.`;
  return {
    account: param(params, "account")?.trim() || undefined,
    region,
    fn: param(params, "fn")?.trim() || undefined,
    at: at.success ? at.data : undefined,
    problems,
  };
}

/** The window to search: ±20 min around `at`, else the shell range. */
export const requestWindow = (p: Pick<RequestParams, "at">, shell: { from: number; to: number }) =>
  p.at !== undefined ? { from: p.at - AROUND_MS, to: p.at + AROUND_MS } : shell;

export function requestHref(
  requestId: string,
  p: { account: string; region: string; fn?: string; at?: number },
): string {
  const q = new URLSearchParams({ region: p.region });
  if (p.fn) q.set("fn", p.fn);
  if (p.at !== undefined) q.set("at", String(Math.round(p.at)));
  return withAccount(`/requests/${encodeURIComponent(requestId)}`, p.account, q.toString());
}
