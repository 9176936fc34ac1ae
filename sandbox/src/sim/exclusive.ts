/**
 * One request at a time per execution environment, as Lambda guarantees (and as consoles rely on when they read
 * a log stream's lines between a request's START and REPORT as that request's).
 *
 * The schedule (layer A) assigns slots from handler time only and estimates the previous minute's in-flight
 * executions by Little's law, so it can put an arrival on a slot whose environment is still initialising or
 * still running the previous minute's last request. The minute builder corrects that here: such an arrival is
 * served by an extra environment instead, created for it (a cold start, as Lambda would scale out), and reused
 * within the minute once free. Layer A (metrics, concurrency, warmth look-back) is untouched.
 *
 * Invariants:
 * - Busy-until of a slot carried from the previous minute is the end of its last handler there, plus the init
 *   ceiling when that use may have been a cold start (its first use in that minute): conservative, so no stream
 *   ever interleaves two requests.
 * - Extra environments are deterministic: their id derives from (function, version, slot, minute, arrival).
 */
import type { SimFunction } from "../fleet/model";
import { initCeilingMs } from "./detail";
import type { Environment } from "./environments";
import { hash32, hashString, Rng } from "./random";
import { versionConfig } from "./routing";
import type { MinuteSchedule } from "./schedule";
import { MINUTE_MS } from "./traffic";

/** Per slot of `version`, when the previous minute's last execution on it (with a possible init) ends. */
export function carriedBusyUntil(
  fn: SimFunction,
  prev: MinuteSchedule | null,
  version: string,
): Map<number, number> {
  const busy = new Map<number, number>();
  if (prev === null) return busy;
  const ti = prev.routing.versions.indexOf(version);
  if (ti < 0) return busy;
  const ceiling = initCeilingMs(versionConfig(fn, version));
  const used = new Set<number>();
  for (let i = 0; i < prev.count; i++) {
    if (prev.target[i] !== ti) continue;
    const slot = prev.slot[i]!;
    const first = !used.has(slot) && slot >= prev.provisioned[ti]!;
    used.add(slot);
    const end = prev.startMs[i]! + prev.durationMs[i]! + (first ? ceiling : 0);
    if (end > (busy.get(slot) ?? 0)) busy.set(slot, end);
  }
  return busy;
}

/**
 * An extra environment for an arrival whose slot's environment is busy: created now, so a cold start — except
 * on a provisioned slot, where the schedule counted the arrival within provisioned concurrency (not spilled
 * over), so it gets another pre-initialised environment.
 */
export function extraEnvironment(
  fn: SimFunction,
  version: string,
  slot: number,
  minuteMs: number,
  arrival: number,
  provisioned: boolean,
): Environment {
  const id = new Rng(hash32(fn.seed, hashString(version), slot, minuteMs / MINUTE_MS, arrival, 0xe7)).hex(32);
  return { id, createdMinuteMs: minuteMs, cold: !provisioned };
}
