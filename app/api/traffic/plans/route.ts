import { NextResponse } from "next/server";
import { defaultTrafficDeps } from "@/lib/data/traffic/default-deps";
import { startPlan } from "@/lib/data/traffic/plans";
import { kickPlanRunner } from "@/lib/data/traffic/runtime";
import { mutation } from "../route-helpers";

export const POST = mutation(async (deps, who, body) => {
  const plan = await startPlan(deps, who, body);
  kickPlanRunner();
  return plan;
});

export function GET() {
  return NextResponse.json({ plans: defaultTrafficDeps().store.plans.recent(100) });
}
