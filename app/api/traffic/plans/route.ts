import { NextResponse } from "next/server";
import { defaultTrafficDeps } from "@/lib/data/traffic/default-deps";
import { startPlan } from "@/lib/data/traffic/plans";
import { kickPlanRunner } from "@/lib/data/traffic/runtime";
import { errorResponse } from "../../respond";
import { mutation } from "../route-helpers";

export const POST = mutation(async (deps, who, body) => {
  const plan = await startPlan(deps, who, body);
  kickPlanRunner();
  return plan;
});

export async function GET() {
  try {
    const deps = await defaultTrafficDeps();
    return NextResponse.json({ plans: await deps.store.plans.recent(100) });
  } catch (e) {
    return errorResponse(e);
  }
}
