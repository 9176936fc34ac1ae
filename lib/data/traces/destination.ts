/**
 * Where each region's traces go: X-Ray, or CloudWatch Logs (Transaction Search: every span in `aws/spans`,
 * X-Ray indexes only a share of the traces, by default 1 %). Decides where a request page looks for a trace.
 *
 * Invariants: one GetTraceSegmentDestination per region per DESTINATION_TTL_MS at most (the destination changes
 * rarely, and only by an account-level opt-in); a failed look-up is not cached (the next view asks again) and is
 * returned as a failed Outcome, never guessed as "X-Ray". Requests made are counted by the caller's meter.
 */
import "server-only";
import { xrayFor, type TraceSegmentDestination, type XRayPort } from "@/lib/aws/xray";
import { env } from "@/lib/config/env";
import { settle, type Outcome } from "@/lib/core/errors";

export const DESTINATION_TTL_MS = 10 * 60_000;

export interface TraceDestinationView extends TraceSegmentDestination {
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

/** The region's destination, from the cache when younger than DESTINATION_TTL_MS. */
export async function traceDestination(
  region: string,
  xray: () => XRayPort,
  now: number,
): Promise<Outcome<TraceDestinationView>> {
  const cached = cache.get(region);
  if (cached !== undefined && now - cached.checkedAt < DESTINATION_TTL_MS && now >= cached.checkedAt) {
    return { ok: true, value: cached };
  }
  const got = await settle(xray().getTraceSegmentDestination());
  if (!got.ok) return got;
  const view: TraceDestinationView = {
    ...got.value,
    region,
    label: describeDestination(got.value),
    checkedAt: now,
  };
  cache.set(region, view);
  return { ok: true, value: view };
}

/** Every configured region's destination (the status page), each on its own: one failure never hides the rest. */
export function traceDestinations(
  now: number,
): Promise<{ region: string; destination: Outcome<TraceDestinationView> }[]> {
  return Promise.all(
    env().regions.map(async (region) => ({
      region,
      destination: await traceDestination(region, () => xrayFor(region), now),
    })),
  );
}

/** For tests: forget every cached destination. */
export function clearTraceDestinations(): void {
  cache.clear();
}
