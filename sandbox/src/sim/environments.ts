/**
 * Execution environments: which one serves an invocation, and whether it had to be created (a cold start).
 *
 * Each version has a pool of slots (schedule.ts assigns them). A slot hosts one environment at a time.
 *
 * Invariants:
 * - An on-demand environment is warm at minute m if its slot was used by an arrival in one of the IDLE_MINUTES
 *   minutes before m, within the slot's current lifetime epoch; otherwise the first use in m is a cold start and
 *   creates a new environment. The environment's identity is (version, slot, creation minute), so every minute
 *   of one run of uses derives the same id, and the creation minute is exactly the minute that logged the cold
 *   start.
 * - Lifetimes: each slot is recycled every 60–120 minutes (per-slot period and phase from the seed), as Lambda
 *   replaces long-lived environments; a recycled slot cold-starts on its next use.
 * - The look-back is bounded by the epoch (≤ 120 minutes) and reads only cached slot-usage counts.
 * - Provisioned slots (the lowest `provisioned` slots of the pool) are initialised ahead of traffic: never cold;
 *   their environment is created at the start of the slot's epoch.
 */
import type { SimFunction } from "../fleet/model";
import { Rng, hash32, hashString } from "./random";
import { MINUTE_MS } from "./traffic";

export const IDLE_MINUTES = 10;

export interface Environment {
  id: string;
  createdMinuteMs: number;
  /** True when the invocation at hand created it (cold start). */
  cold: boolean;
}

/** First minute (epoch ms) of the slot's current lifetime epoch. */
export function epochStartMs(fn: SimFunction, version: string, slot: number, minuteMs: number): number {
  const v = hashString(version);
  const life = 60 + (hash32(fn.seed, v, slot, 0x11fe) % 61);
  const phase = hash32(fn.seed, v, slot, 0xface) % life;
  const idx = minuteMs / MINUTE_MS;
  return (Math.floor((idx + phase) / life) * life - phase) * MINUTE_MS;
}

/** Slots of `version` used by arrivals in a minute (0 if the version got no traffic there). */
export type SlotUsage = (minuteMs: number) => number;

export interface WarmthMemo {
  lastUseMs: number;
  createdMs: number;
  epochMs: number;
}

/**
 * The environment in `slot` at its first use in `minuteMs`. `memo` (optional) remembers the last resolution of
 * this slot so consecutive minutes don't rescan the whole epoch; it only short-cuts the same scan.
 */
export function resolveOnDemand(
  fn: SimFunction,
  version: string,
  slot: number,
  minuteMs: number,
  used: SlotUsage,
  memo?: WarmthMemo,
): { env: Environment; memo: WarmthMemo } {
  const epochMs = epochStartMs(fn, version, slot, minuteMs);
  let created = minuteMs;
  for (
    let m = minuteMs - MINUTE_MS;
    m >= epochMs && created - m <= IDLE_MINUTES * MINUTE_MS;
    m -= MINUTE_MS
  ) {
    if (memo && memo.epochMs === epochMs && m === memo.lastUseMs) {
      created = memo.createdMs;
      break;
    }
    if (used(m) > slot) created = m;
  }
  const env = {
    id: environmentId(fn, version, slot, created),
    createdMinuteMs: created,
    cold: created === minuteMs,
  };
  return { env, memo: { lastUseMs: minuteMs, createdMs: created, epochMs } };
}

export function resolveProvisioned(
  fn: SimFunction,
  version: string,
  slot: number,
  minuteMs: number,
): Environment {
  const epochMs = Math.max(
    epochStartMs(fn, version, slot, minuteMs),
    Math.floor(fn.createdMs / MINUTE_MS) * MINUTE_MS,
  );
  const id = new Rng(hash32(fn.seed, hashString(version), slot, epochMs / MINUTE_MS, 0x9c)).hex(32);
  return { id, createdMinuteMs: epochMs, cold: false };
}

function environmentId(fn: SimFunction, version: string, slot: number, createdMinuteMs: number): string {
  return new Rng(hash32(fn.seed, hashString(version), slot, createdMinuteMs / MINUTE_MS, 0xe1)).hex(32);
}

/** `YYYY/MM/DD/[version]environmentId`, dated by the environment's creation (UTC), as Lambda names streams. */
export function logStreamName(version: string, env: Environment): string {
  const d = new Date(env.createdMinuteMs);
  const mm = String(d.getUTCMonth() + 1).padStart(2, "0");
  const dd = String(d.getUTCDate()).padStart(2, "0");
  return `${d.getUTCFullYear()}/${mm}/${dd}/[${version}]${env.id}`;
}
