/**
 * Generates the sandbox account: a deterministic fleet of Lambda functions per region.
 *
 * Invariants:
 * - Pure function of its arguments: the same (seed, functionsPerRegion, regions, nowMs) gives a deep-equal
 *   account; no Math.random, no clock reads.
 * - Each region holds exactly `functionsPerRegion` functions with unique names; the planted functions for
 *   that region come first (all of them when functionsPerRegion ≥ 20), the rest are healthy.
 * - Every function has ≥ 1 published version, a `live` alias, and alias histories that start at createdMs.
 * - Lambda@Edge replicas (fleet/edge.ts) sit in `replicas`, never in `functions`.
 * - Every region enabled by default (fleet/regions.ts) is in the account; one outside the fleet's has no functions
 *   (its Lambda API lists nothing, its Logs and CloudWatch hold only Edge replicas' telemetry, if any ran there).
 */
import { NAME_PREFIXES, NAME_SUFFIXES } from "./catalog";
import { placeEdgeReplicas } from "./edge";
import { ENABLED_BY_DEFAULT } from "./regions";
import { buildHealthyFunction, type BuildContext } from "./healthy";
import type { RegionState, SandboxAccount, SimFunction } from "./model";
import { PLANTED_NAMES, plantedFor, plantedRng } from "./planted";
import { Rng, deriveSeed } from "./prng";
import { plantTriggers } from "./triggers";

export interface GenerateOptions {
  seed: number;
  functionsPerRegion?: number;
  regions?: string[];
  /** The account's "now" (epoch ms): creation dates, version dates and alias shifts are placed before it. */
  nowMs: number;
  /** Default accountIdFor(seed); a multi-account sandbox may name its accounts' ids. */
  accountId?: string;
  /** The account's Lambda concurrency limit (GetAccountSettings), default AWS's 1,000. */
  accountConcurrency?: number;
}

export const DEFAULT_REGIONS = ["us-east-1", "eu-west-1"];
export const DEFAULT_FUNCTIONS_PER_REGION = 40;
export const ACCOUNT_CONCURRENCY = 1000;

/** A 12-digit account id derived from the seed. */
export function accountIdFor(seed: number): string {
  const hi = 100_000 + (deriveSeed(seed, "account/hi") % 900_000);
  const lo = deriveSeed(seed, "account/lo") % 1_000_000;
  return `${hi}${String(lo).padStart(6, "0")}`;
}

/** `count` unique healthy names for a region, avoiding planted names; numbered once combinations run out. */
export function healthyNames(seed: number, region: string, count: number): string[] {
  const rng = new Rng(deriveSeed(seed, `names/${region}`));
  const combos: string[] = [];
  for (const p of NAME_PREFIXES) for (const s of NAME_SUFFIXES) combos.push(`${p}-${s}`);
  const base = rng.shuffle(combos.filter((n) => !PLANTED_NAMES.has(n)));
  const out: string[] = [];
  for (let round = 1; out.length < count; round++)
    for (const n of base) {
      if (out.length >= count) break;
      out.push(round === 1 ? n : `${n}-${round}`);
    }
  return out;
}

export function generateAccount(opts: GenerateOptions): SandboxAccount {
  const functionsPerRegion = opts.functionsPerRegion ?? DEFAULT_FUNCTIONS_PER_REGION;
  const regionNames = opts.regions ?? DEFAULT_REGIONS;
  if (!Number.isInteger(functionsPerRegion) || functionsPerRegion < 0)
    throw new RangeError(`functionsPerRegion must be a non-negative integer, got ${functionsPerRegion}`);
  const accountId = opts.accountId ?? accountIdFor(opts.seed);
  const concurrency = opts.accountConcurrency ?? ACCOUNT_CONCURRENCY;
  if (!/^\d{12}$/.test(accountId)) throw new RangeError(`accountId must be 12 digits, got '${accountId}'`);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`accountConcurrency must be a positive integer, got ${concurrency}`);
  const regions = new Map<string, RegionState>();
  for (const region of regionNames) {
    const ctx: BuildContext = {
      seed: opts.seed,
      accountId,
      region,
      nowMs: opts.nowMs,
      fleetSize: functionsPerRegion,
    };
    const functions = new Map<string, SimFunction>();
    for (const spec of plantedFor(region).slice(0, functionsPerRegion)) {
      const fn = buildHealthyFunction(ctx, spec.name);
      fn.scenario = spec.scenario;
      spec.bend(fn, ctx, plantedRng(ctx, spec.name));
      plantTriggers(fn, ctx, true);
      functions.set(fn.name, fn);
    }
    for (const name of healthyNames(opts.seed, region, functionsPerRegion - functions.size)) {
      const fn = buildHealthyFunction(ctx, name);
      plantTriggers(fn, ctx, false);
      functions.set(name, fn);
    }
    regions.set(region, { region, accountConcurrency: concurrency, functions });
  }
  // Lambda@Edge replicas run in regions of their own choosing (CloudFront's), fleet regions or not.
  placeEdgeReplicas(regions, opts.seed, concurrency);
  for (const region of ENABLED_BY_DEFAULT)
    if (!regions.has(region))
      regions.set(region, { region, accountConcurrency: concurrency, functions: new Map() });
  return { accountId, seed: opts.seed, regions };
}
