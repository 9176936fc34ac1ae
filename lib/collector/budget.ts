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
