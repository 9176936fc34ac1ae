import { NextResponse } from "next/server";
import { requireOperator } from "@/lib/auth/server";
import { defaultTrafficDeps } from "@/lib/data/traffic/default-deps";
import { abortPlan } from "@/lib/data/traffic/plans";
import { errorResponse, jsonBody } from "../../../../respond";

export async function POST(request: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    const who = await requireOperator(request);
    const { id } = await ctx.params;
    const body = await jsonBody(request);
    const reason =
      typeof body === "object" && body !== null && "reason" in body ? String(body.reason).slice(0, 500) : "";
    return NextResponse.json({ result: await abortPlan(defaultTrafficDeps(), who, id, reason) });
  } catch (e) {
    return errorResponse(e);
  }
}
