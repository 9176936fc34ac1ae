/**
 * `npm run advise -- --collect`: run the collector until the store covers the Advisor's window (every scope,
 * metrics and REPORT lines), within a time bound, so a pipeline without a running console judges a whole window.
 *
 * Invariants:
 * - Ticks back to back while they make progress (the backfill reads one chunk per tick); pauses when a tick
 *   changed nothing (a step waiting out its retry pause, or another process — a running console — holding the
 *   collector lease, whose progress is then simply awaited).
 * - Stops at the bound and reports how far it got; that is not a failure: the Advisor then says what it judged.
 */
import { systemClock } from "@/lib/config/clock";
import type { Collector } from "@/lib/collector/collector";
import type { Scope } from "@/lib/core/accounts/scope";
import { formatSpan } from "@/lib/core/format";
import type { TimeWindow } from "@/lib/core/time/range";
import { shortfallOf } from "./collect-store";
import { judgedSpan, type AdvisorStoreReader } from "./store-evidence";
import { scopeLabel } from "./summary";

export interface WindowCoverage {
  done: boolean;
  /** "111111111111/us-east-1: 26 h of 36 h" per scope, for progress lines. */
  progress: string;
}

/** Whether the store covers `window` in every scope, as the store path would judge it at `now`. */
export async function windowCovered(
  reader: AdvisorStoreReader,
  scopes: readonly Scope[],
  window: TimeWindow,
  now: number,
): Promise<WindowCoverage> {
  const asked = { from: window.start, to: window.end };
  let done = true;
  const spans = await Promise.all(scopes.map((scope) => judgedSpan(reader, scope, asked)));
  const parts = scopes.map((scope, i) => {
    const span = spans[i]!;
    if (!span.logsJudged || shortfallOf(span, now, undefined) !== null) done = false;
    const judged = span.judged && span.logsJudged ? span.judged.to - span.judged.from : 0;
    return `${scopeLabel(scope)}: ${formatSpan(judged)} of ${formatSpan(asked.to - asked.from)}`;
  });
  return { done, progress: parts.join(", ") };
}

export interface CollectFirstOptions {
  /** The collector's tick, and whether this process leads (holds the store's collector lease). */
  collector: { tick: Collector["tick"]; status: () => { leader: boolean } };
  covered: () => Promise<WindowCoverage>;
  timeoutMs: number;
  /** Pause after a tick that changed nothing. */
  idlePauseMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  log?: (message: string) => void;
}

export async function collectUntilCovered(
  o: CollectFirstOptions,
): Promise<WindowCoverage & { ticks: number; leader: boolean }> {
  const now = o.now ?? systemClock.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + o.timeoutMs;
  let state = await o.covered();
  let ticks = 0;
  let lastLog = 0;
  while (!state.done && now() < deadline) {
    await o.collector.tick();
    ticks++;
    const next = await o.covered();
    if (next.progress === state.progress) await sleep(o.idlePauseMs ?? 2_000);
    state = next;
    if (now() - lastLog >= 15_000) {
      lastLog = now();
      const who = o.collector.status().leader ? "collecting" : "another collector holds the store; waiting";
      o.log?.(`${who}: ${state.progress}`);
    }
  }
  return { ...state, ticks, leader: o.collector.status().leader };
}
