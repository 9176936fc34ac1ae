/**
 * A token bucket for the Lambda control plane: AWS allows about 15 requests/s per account for all control-plane
 * calls together, the user's own deploys included, so the collector spends a small configurable share of it.
 * `take` never blocks: work that finds the bucket empty waits for a later round.
 */
export interface Budget {
  /** True (and the tokens spent) when `n` tokens are there; a listing may overdraw with `force`. */
  take(n: number, now: number, force?: boolean): boolean;
  available(now: number): number;
}

export function createBudget(perSecond: number, burst: number, start: number): Budget {
  let tokens = burst;
  let at = start;
  const refill = (now: number) => {
    tokens = Math.min(burst, tokens + ((now - at) / 1000) * perSecond);
    at = Math.max(at, now);
  };
  return {
    take(n, now, force = false) {
      refill(now);
      if (tokens < n && !force) return false;
      tokens -= n;
      return true;
    },
    available(now) {
      refill(now);
      return tokens;
    },
  };
}

/**
 * GetPolicy has a quota of its own: 15 requests/s per account, not raisable, apart from the 15/s every other
 * control-plane call shares (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html, "Lambda
 * API requests"). The console's live function views and the user's own tooling spend it too, so the collector
 * keeps to a small share in its own bucket: at most `burst + perSecond × t` requests in any t seconds, which
 * stays under the quota in every one-second window whenever burst + perSecond < 15.
 */
export const GET_POLICY_QUOTA_PER_SECOND = 15;
export const GET_POLICY_BUDGET = { perSecond: 1, burst: 5 } as const;

export const createGetPolicyBudget = (
  start: number,
  perSecond: number = GET_POLICY_BUDGET.perSecond,
): Budget =>
  createBudget(
    Math.min(perSecond, GET_POLICY_QUOTA_PER_SECOND - GET_POLICY_BUDGET.burst - 1),
    GET_POLICY_BUDGET.burst,
    start,
  );
