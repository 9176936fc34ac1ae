/** The shape every traffic mutation route shares: guard → validate in the use-case → one verb → JSON. */
import { NextResponse } from "next/server";
import { requireOperator } from "@/lib/auth/server";
import type { Principal } from "@/lib/auth/principal";
import { defaultTrafficDeps } from "@/lib/data/traffic/default-deps";
import type { TrafficDeps } from "@/lib/data/traffic/deps";
import { errorResponse, jsonBody } from "../respond";

export function mutation<T>(verb: (deps: TrafficDeps, who: Principal, body: unknown) => Promise<T>) {
  return async (request: Request) => {
    try {
      const who = await requireOperator(request);
      const result = await verb(defaultTrafficDeps(), who, await jsonBody(request));
      return NextResponse.json({ result });
    } catch (e) {
      return errorResponse(e);
    }
  };
}
