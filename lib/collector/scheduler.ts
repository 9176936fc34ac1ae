/**
 * The account's Logs Insights scheduler: at most `maxConcurrent` of the collector's queries run at once, the
 * rest wait in order; a quota error (ThrottlingException, LimitExceededException on concurrent queries — both
 * "Throttled") halves the allowance and retries the job after a growing pause, and successes win the allowance
 * back one step at a time (additive increase, multiplicative decrease). Quota errors slow the collector down;
 * they never fail it unless they persist past `maxAttempts`, and then the minutes stay uncollected, to be read
 * on a later round.
 */
import { isFleetscopeError } from "@/lib/core/errors";

export interface SchedulerOptions {
  maxConcurrent: number;
  maxAttempts?: number;
  firstPauseMs?: number;
  maxPauseMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Told of each quota error, for the status page. */
  onThrottled?: (message: string, pauseMs: number) => void;
}

export interface InsightsScheduler {
  run<T>(job: () => Promise<T>): Promise<T>;
  /** The allowance in force (≤ maxConcurrent), queries running and waiting, and quota errors absorbed. */
  state(): { allowance: number; running: number; waiting: number; throttled: number };
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

export function createInsightsScheduler(opts: SchedulerOptions): InsightsScheduler {
  const max = Math.max(1, opts.maxConcurrent);
  const maxAttempts = opts.maxAttempts ?? 6;
  const firstPause = opts.firstPauseMs ?? 2_000;
  const maxPause = opts.maxPauseMs ?? 60_000;
  const sleep = opts.sleep ?? defaultSleep;
  let allowance = max;
  let running = 0;
  let successes = 0;
  let throttled = 0;
  const queue: (() => void)[] = [];

  const pump = () => {
    while (running < allowance && queue.length > 0) {
      running++;
      queue.shift()?.();
    }
  };
  const slot = () =>
    new Promise<void>((resolve) => {
      queue.push(resolve);
      pump();
    });
  const release = () => {
    running--;
    pump();
  };

  async function run<T>(job: () => Promise<T>): Promise<T> {
    let pause = firstPause;
    for (let attempt = 1; ; attempt++) {
      await slot();
      try {
        const value = await job();
        if (++successes >= 5 && allowance < max) {
          allowance++;
          successes = 0;
        }
        return value;
      } catch (e) {
        if (!isFleetscopeError(e) || e.code !== "Throttled" || attempt >= maxAttempts) throw e;
        throttled++;
        successes = 0;
        allowance = Math.max(1, Math.floor(allowance / 2));
        opts.onThrottled?.(e.message, pause);
      } finally {
        release();
      }
      await sleep(pause);
      pause = Math.min(maxPause, pause * 2);
    }
  }

  return { run, state: () => ({ allowance, running, waiting: queue.length, throttled }) };
}
