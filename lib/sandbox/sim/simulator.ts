/** Placeholder: replaced by the real simulator. Returns an account with no traffic. */
import type { SandboxAccount } from "../fleet/model";
import type { MinuteRecord, Simulator } from "./types";

export function createSimulator(_account: SandboxAccount, opts: { now: () => number }): Simulator {
  const minute = (_fn: unknown, minuteMs: number): MinuteRecord => ({
    minuteMs,
    invocations: [],
    throttles: 0,
    concurrency: 0,
    provisionedConcurrency: 0,
    provisionedSpillover: 0,
  });
  return {
    minute,
    minutes: (fn, fromMs, toMs) => {
      const out: MinuteRecord[] = [];
      const end = Math.min(toMs, opts.now());
      for (let m = Math.floor(fromMs / 60_000) * 60_000; m < end; m += 60_000) out.push(minute(fn, m));
      return out;
    },
  };
}
