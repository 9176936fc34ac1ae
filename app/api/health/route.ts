/**
 * GET /api/health: is this replica's store reachable, and which leases does it hold. For load balancers and
 * container health checks, so no session is needed (proxy.ts also lets it past the Host check) and nothing in
 * it is secret. 200 when the store answers (busy included: a loaded replica is not a dead one), 503 when not.
 * Not cached by HTTP; the process shares one reading per second between callers, so unauthenticated calls
 * cannot multiply the store's queries.
 */
import { NextResponse } from "next/server";
import { systemClock } from "@/lib/config/clock";
import { currentReplicaHealth } from "@/lib/data/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await currentReplicaHealth(systemClock.now);
  return NextResponse.json(health, {
    status: health.store.reachable ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
