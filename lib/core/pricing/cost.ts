/**
 * Monthly Lambda cost of one function from its usage (https://aws.amazon.com/lambda/pricing/, checked 2026-11-23).
 *
 * Invariants:
 * - Money leaves this module in MicroUsd; each charge is computed in USD from the list rates and rounded to a
 *   micro-dollar once, so a total equals the sum of its parts exactly.
 * - GB = MB / 1024 (Lambda bills binary gigabytes); duration is billed per 1 ms, so callers pass billed (rounded
 *   up) durations, and `billedMs` rounds a raw duration the way Lambda does.
 * - Duration tiers apply to the account's monthly GB-s per architecture and region: `priorGbSeconds` places this
 *   function's usage after the rest of the account's. With 0 (the default) a function is priced alone.
 * - The free tier (1M requests + 400,000 GB-s a month, shared across architectures, on-demand only) is OFF by
 *   default: it belongs to the account, not to one function, so it is only right when pricing the whole account.
 * - INIT is billed like invocation duration for on-demand ZIP functions on managed runtimes since 2025-08-01, and
 *   always was for custom runtimes (provided.*) and container images; provisioned environments' INIT is covered by
 *   the provisioned-concurrency charge.
 * - Provisioned concurrency is billed from enabling to disabling, rounded up to 5 minutes, per GB-s configured;
 *   the invocations it serves pay the lower provisioned duration rate, and no on-demand free tier.
 * - SnapStart: a restore replaces INIT, and its Billed Restore Duration is billed like INIT (on-demand rate). For
 *   Python and .NET (not Java) each version's snapshot cache is billed per GB-s while active (at least 3 hours)
 *   and each restore per GB of memory restored.
 */
import type { Architecture, FunctionConfig } from "@/lib/core/lambda/types";
import { invalidInput } from "@/lib/core/errors";
import { type EpochMs, type MicroUsd, type Mb, type Ms, microUsd, usdToMicro } from "@/lib/core/units";
import { type DurationTier, type UnknownRegionPolicy, ratesFor } from "./rates";

/** AWS's pricing calculator convention: a month is 730 hours. */
export const MONTH_MS = 730 * 3600 * 1000;
export const MONTH_SECONDS = MONTH_MS / 1000;

export const FREE_TIER = { requests: 1_000_000, gbSeconds: 400_000 } as const;
/** Ephemeral storage up to this size is included in the price. */
export const FREE_EPHEMERAL_MB = 512;
/** From this date Lambda bills the INIT phase of on-demand ZIP functions on managed runtimes. */
export const INIT_BILLING_START = Date.UTC(2025, 7, 1) as EpochMs;
/** Provisioned concurrency is billed in steps of 5 minutes; a SnapStart snapshot is cached for at least 3 hours. */
export const PC_BILLING_STEP_SECONDS = 300;
export const SNAPSTART_MIN_CACHE_SECONDS = 3 * 3600;

export const billedMs = (durationMs: number): Ms => Math.ceil(durationMs) as Ms;
export const gbOf = (memory: Mb): number => memory / 1024;
/** Rounds to whole cents, for display and for comparing against published examples. */
export const toCents = (m: MicroUsd): number => Math.round(m / 10_000);

/** Whether a cold start's INIT duration is billed for this function configuration at `at`. */
export function isInitBilled(config: Pick<FunctionConfig, "packageType" | "runtime">, at: EpochMs): boolean {
  if (config.packageType === "Image" || config.runtime === null) return true;
  if (config.runtime.startsWith("provided")) return true;
  return at >= INIT_BILLING_START;
}

/** Whether SnapStart's cache and restore charges apply: Python and .NET runtimes (Java's SnapStart has none). */
export function isSnapStartCharged(runtime: string | null): boolean {
  return runtime !== null && (runtime.startsWith("python") || runtime.startsWith("dotnet"));
}

/** USD for `gbSeconds` of on-demand duration, starting `priorGbSeconds` into the month's tiers. */
export function tieredDurationUsd(
  tiers: readonly DurationTier[],
  gbSeconds: number,
  priorGbSeconds = 0,
): number {
  let usd = 0;
  let from = priorGbSeconds;
  let remaining = gbSeconds;
  for (const tier of tiers) {
    if (remaining <= 0) break;
    if (from >= tier.upToGbSeconds) continue;
    const inTier = Math.min(remaining, tier.upToGbSeconds - from);
    usd += inTier * tier.usdPerGbSecond;
    from += inTier;
    remaining -= inTier;
  }
  return usd;
}

export interface ProvisionedUsage {
  /** Configured concurrency and for how long it was configured (default: the whole month). */
  concurrency: number;
  seconds?: number;
  /** Invocations served by the provisioned environments, and their average billed duration. */
  invocations: number;
  avgBilledDurationMs: Ms;
}

export interface SnapStartUsage {
  /** Versions whose snapshot is cached, and for how long each (default: the whole month; at least 3 hours). */
  cachedVersions: number;
  cacheSeconds?: number;
  /** Restores (each replaces an INIT) and their average Billed Restore Duration. */
  restores: number;
  avgBilledRestoreMs: Ms;
  /** Cache and restore charges apply (`isSnapStartCharged`); the billed restore duration always does. */
  charged: boolean;
}

export interface UsageInput {
  region: string;
  architecture: Architecture;
  memory: Mb;
  /** Configured /tmp size; only the part above 512 MB is billed. */
  ephemeralStorage?: Mb;
  /** On-demand invocations (spillover from provisioned concurrency included). */
  invocations: number;
  avgBilledDurationMs: Ms;
  /** Billed INIT of on-demand cold starts; pass `billed` from `isInitBilled`. */
  init?: { coldStarts: number; avgInitDurationMs: Ms; billed: boolean };
  provisioned?: ProvisionedUsage;
  snapStart?: SnapStartUsage;
  freeTier?: boolean;
  priorGbSeconds?: number;
  unknownRegion?: UnknownRegionPolicy;
}

export interface CostBreakdown {
  requests: MicroUsd;
  duration: MicroUsd;
  /** On-demand INIT of cold starts, and SnapStart's billed restore duration (which replaces it). */
  init: MicroUsd;
  ephemeralStorage: MicroUsd;
  provisionedConcurrency: MicroUsd;
  provisionedDuration: MicroUsd;
  snapStartCache: MicroUsd;
  snapStartRestore: MicroUsd;
  total: MicroUsd;
  /** On-demand GB-s (invocations + billed INIT), before the free tier. */
  onDemandGbSeconds: number;
  /** True when the region had no price table and us-east-1 rates were used. */
  estimatedRegion: boolean;
}

function assertUsage(u: UsageInput): void {
  const bad = (value: number) => !Number.isFinite(value) || value < 0;
  const p = u.provisioned;
  const ss = u.snapStart;
  if (
    bad(u.invocations) ||
    bad(u.avgBilledDurationMs) ||
    bad(u.memory) ||
    (p && (bad(p.concurrency) || bad(p.invocations) || bad(p.avgBilledDurationMs) || bad(p.seconds ?? 0))) ||
    (ss &&
      (bad(ss.cachedVersions) || bad(ss.restores) || bad(ss.avgBilledRestoreMs) || bad(ss.cacheSeconds ?? 0)))
  ) {
    throw invalidInput("Usage must be finite and non-negative", {
      invocations: u.invocations,
      avgBilledDurationMs: u.avgBilledDurationMs,
      memory: u.memory,
    });
  }
}

export function monthlyCost(u: UsageInput): CostBreakdown {
  assertUsage(u);
  const { rates, estimated } = ratesFor(u.region, u.unknownRegion);
  const arch = rates.architectures[u.architecture];
  const gb = gbOf(u.memory);

  const invokeGbS = (u.invocations * u.avgBilledDurationMs * gb) / 1000;
  const ss = u.snapStart;
  // Billed Restore Duration is already whole ms per restore: its average is not rounded up again.
  const restoreGbS = ss ? (ss.restores * ss.avgBilledRestoreMs * gb) / 1000 : 0;
  const initGbS =
    (u.init && u.init.billed ? (u.init.coldStarts * billedMs(u.init.avgInitDurationMs) * gb) / 1000 : 0) +
    restoreGbS;
  const pcInvokeSeconds = u.provisioned
    ? (u.provisioned.invocations * u.provisioned.avgBilledDurationMs) / 1000
    : 0;
  const pcInvokeGbS = pcInvokeSeconds * gb;

  // The free tier covers on-demand usage only; duration is reduced before INIT so INIT cost stays visible.
  const freeGbS = u.freeTier ? FREE_TIER.gbSeconds : 0;
  const billableInvokeGbS = Math.max(0, invokeGbS - freeGbS);
  const billableInitGbS = Math.max(0, initGbS - Math.max(0, freeGbS - invokeGbS));
  const billableRequests =
    Math.max(0, u.invocations - (u.freeTier ? FREE_TIER.requests : 0)) + (u.provisioned?.invocations ?? 0);

  const prior = u.priorGbSeconds ?? 0;
  const durationUsd = tieredDurationUsd(arch.duration, billableInvokeGbS, prior);
  const initUsd = tieredDurationUsd(arch.duration, billableInitGbS, prior + billableInvokeGbS);

  const extraTmpGb = Math.max(0, (u.ephemeralStorage ?? FREE_EPHEMERAL_MB) - FREE_EPHEMERAL_MB) / 1024;
  const runSeconds = (u.invocations * u.avgBilledDurationMs) / 1000 + pcInvokeSeconds;
  const ephemeralUsd = extraTmpGb * runSeconds * rates.ephemeralPerGbSecond;

  const pcSeconds = u.provisioned
    ? Math.ceil((u.provisioned.seconds ?? MONTH_SECONDS) / PC_BILLING_STEP_SECONDS) * PC_BILLING_STEP_SECONDS
    : 0;
  const pcUsd = u.provisioned ? u.provisioned.concurrency * gb * pcSeconds * arch.provisionedPerGbSecond : 0;
  const pcDurationUsd = pcInvokeGbS * arch.provisionedDurationPerGbSecond;

  const cacheSeconds = Math.max(SNAPSTART_MIN_CACHE_SECONDS, ss?.cacheSeconds ?? MONTH_SECONDS);
  const cacheUsd = ss?.charged ? ss.cachedVersions * gb * cacheSeconds * rates.snapStartCachePerGbSecond : 0;
  const restoreUsd = ss?.charged ? ss.restores * gb * rates.snapStartRestorePerGb : 0;

  const parts = {
    requests: usdToMicro(billableRequests * rates.usdPerRequest),
    duration: usdToMicro(durationUsd),
    init: usdToMicro(initUsd),
    ephemeralStorage: usdToMicro(ephemeralUsd),
    provisionedConcurrency: usdToMicro(pcUsd),
    provisionedDuration: usdToMicro(pcDurationUsd),
    snapStartCache: usdToMicro(cacheUsd),
    snapStartRestore: usdToMicro(restoreUsd),
  };
  const total = microUsd(Object.values(parts).reduce((a, b) => a + b, 0));
  return { ...parts, total, onDemandGbSeconds: invokeGbS + initGbS, estimatedRegion: estimated };
}

export interface Window {
  start: EpochMs;
  end: EpochMs;
}

export const windowMs = (w: Window): number => w.end - w.start;
export const windowDays = (w: Window): number => windowMs(w) / 86_400_000;

/**
 * Scales counts observed over `window` to a 730-hour month (averages and ratios are not counts: don't pass them).
 * An empty or inverted window cannot be projected and throws InvalidInput.
 */
export function projectMonthly<K extends string>(
  counts: Record<K, number>,
  window: Window,
): Record<K, number> {
  const span = windowMs(window);
  if (!(span > 0)) throw invalidInput("Cannot project from an empty window", { ...window });
  const factor = MONTH_MS / span;
  const out = {} as Record<K, number>;
  for (const key of Object.keys(counts) as K[]) out[key] = counts[key] * factor;
  return out;
}
