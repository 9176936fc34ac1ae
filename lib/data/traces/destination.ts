/**
 * Where each account-region's traces go: X-Ray, or CloudWatch Logs (Transaction Search: every span in `aws/spans`,
 * X-Ray indexes only a share of the traces, by default 1 %). Decides where a request page looks for a trace.
 *
 * Invariants: one GetTraceSegmentDestination per account-region (scopeKey) per DESTINATION_TTL_MS at most (the
 * destination changes rarely, and only by an account-level opt-in); a failed look-up is not cached (the next view
 * asks again) and is returned as a failed Outcome, never guessed as "X-Ray". Requests made are counted by the
 * caller's meter (the status page's own meter for traceDestinations). The indexed share of a Transaction Search region
 * (GetIndexingRules) is cached the same way.
 */
import "server-only";
import { xrayFor, type TraceSegmentDestination, type XRayPort } from "@/lib/aws/xray";
import { env } from "@/lib/config/env";
import type { AccountId } from "@/lib/core/accounts";
import { scopeKey } from "@/lib/core/accounts/scope";
import { settle, type Outcome, type OutcomeError } from "@/lib/core/errors";
import { accountTargets } from "../accounts";
import { createMeter, type RequestCost } from "./meter";

export const DESTINATION_TTL_MS = 10 * 60_000;

/** One account in one region, as the destination caches key it. */
export interface TraceScope {
  account: AccountId;
  region: string;
}

export interface TraceDestinationView extends TraceSegmentDestination {
  account: AccountId;
  region: string;
  /** What the page says: "X-Ray", or Transaction Search with what it means for finding a trace. */
  label: string;
  /** When X-Ray was asked (epoch ms): a cached answer says how old it is. */
  checkedAt: number;
}

const cache = new Map<string, TraceDestinationView>();

export function describeDestination(d: TraceSegmentDestination): string {
  const pending = d.status === "PENDING" ? " (change pending)" : "";
  return d.destination === "CloudWatchLogs"
    ? `Transaction Search (spans in aws/spans, X-Ray indexes a share)${pending}`
    : `X-Ray${pending}`;
}

/** The account-region's destination, from the cache when younger than DESTINATION_TTL_MS. */
export async function traceDestination(
  scope: TraceScope,
  xray: () => XRayPort,
  now: number,
): Promise<Outcome<TraceDestinationView>> {
  const key = scopeKey(scope);
  const cached = cache.get(key);
  if (cached !== undefined && now - cached.checkedAt < DESTINATION_TTL_MS && now >= cached.checkedAt) {
    return { ok: true, value: cached };
  }
  const got = await settle(xray().getTraceSegmentDestination());
  if (!got.ok) return got;
  const view: TraceDestinationView = {
    ...got.value,
    account: scope.account,
    region: scope.region,
    label: describeDestination(got.value),
    checkedAt: now,
  };
  cache.set(key, view);
  return { ok: true, value: view };
}

export interface TraceDestinationsView {
  /** One entry per account read × configured region (account first). */
  regions: { account: AccountId; region: string; destination: Outcome<TraceDestinationView> }[];
  /** The accounts read could not be decided (discovery failed): no entry, and why. */
  accountsError: OutcomeError | null;
  /** The AWS requests this view made (0 when every region was cached). */
  cost: RequestCost;
}

/**
 * Every account's destination in every configured region (the status page), each on its own: one failure (an
 * account whose role is denied) never hides the rest.
 */
export async function traceDestinations(now: number): Promise<TraceDestinationsView> {
  const meter = createMeter();
  const decided = await settle(accountTargets());
  if (!decided.ok) return { regions: [], accountsError: decided.error, cost: meter.cost() };
  const targets = decided.value;
  const scopes = targets.flatMap((target) => env().regions.map((region) => ({ target, region })));
  const regions = await Promise.all(
    scopes.map(async ({ target, region }) => ({
      account: target.id,
      region,
      destination: await traceDestination(
        { account: target.id, region },
        () => xrayFor(region, { onRequest: (op) => meter.record(op) }, target),
        now,
      ),
    })),
  );
  return { regions, accountsError: null, cost: meter.cost() };
}

/** The share of traces X-Ray indexes in a Transaction Search region, in percent. */
export interface IndexedShare {
  /** The Default rule's measured share, else its desired one; null when X-Ray did not say. */
  percent: number | null;
  checkedAt: number;
}

const shares = new Map<string, IndexedShare>();

/** The account-region's indexed share (GetIndexingRules), from the cache when younger than DESTINATION_TTL_MS. */
export async function indexedShare(
  scope: TraceScope,
  xray: () => XRayPort,
  now: number,
): Promise<Outcome<IndexedShare>> {
  const key = scopeKey(scope);
  const cached = shares.get(key);
  if (cached !== undefined && now - cached.checkedAt < DESTINATION_TTL_MS && now >= cached.checkedAt) {
    return { ok: true, value: cached };
  }
  const got = await settle(xray().getIndexingRules());
  if (!got.ok) return got;
  // AWS has one rule, Default; should more appear, the Default one still decides what is indexed by default.
  const rule = got.value.find((r) => r.name === "Default") ?? got.value[0];
  const share = { percent: rule ? (rule.actualPercent ?? rule.desiredPercent) : null, checkedAt: now };
  shares.set(key, share);
  return { ok: true, value: share };
}

/** For tests: forget every cached destination and indexed share. */
export function clearTraceDestinations(): void {
  cache.clear();
  shares.clear();
}
