/** The shape every traffic mutation route shares: guard → validate in the use-case → one verb → JSON. */
import { NextResponse } from "next/server";
import { requireOperator } from "@/lib/auth/server";
import { env } from "@/lib/config/env";
import type { Principal } from "@/lib/auth/principal";
import { defaultTrafficDeps } from "@/lib/data/traffic/default-deps";
import type { TrafficDeps } from "@/lib/data/traffic/deps";
import { parseConfiguredRegion } from "@/lib/data/validate";
import { errorResponse, jsonBody } from "../respond";

export function mutation<T>(verb: (deps: TrafficDeps, who: Principal, body: unknown) => Promise<T>) {
  return async (request: Request) => {
    try {
      const who = await requireOperator(request);
      const body = await jsonBody(request);
      refuseUnconfiguredRegion(body);
      const result = await verb(await defaultTrafficDeps(), who, body);
      return NextResponse.json({ result });
    } catch (e) {
      return errorResponse(e);
    }
  };
}

/**
 * Every mutation names its region: one outside FLEETSCOPE_REGIONS is refused here, before the use-case makes
 * any AWS call (the traffic deps still reach a removed region while a plan runs there, to roll it back). A
 * missing or malformed region is left to the use-case's own validation.
 */
function refuseUnconfiguredRegion(body: unknown): void {
  const region = typeof body === "object" && body !== null && "region" in body ? body.region : undefined;
  if (typeof region === "string") parseConfiguredRegion(region, env().regions);
}
