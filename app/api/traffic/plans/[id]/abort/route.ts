import { NextResponse } from "next/server";
import { requireOperator } from "@/lib/auth/server";
import { invalidInput } from "@/lib/core/errors";
import { defaultTrafficDeps } from "@/lib/data/traffic/default-deps";
import { abortPlan } from "@/lib/data/traffic/plans";
import { errorResponse, jsonBody } from "../../../../respond";

export async function POST(request: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    const who = await requireOperator(request);
    const { id } = await ctx.params;
    const reason = abortReason(await jsonBody(request));
    return NextResponse.json({ result: await abortPlan(await defaultTrafficDeps(), who, id, reason) });
  } catch (e) {
    return errorResponse(e);
  }
}

/**
 * The optional reason of an abort, kept to 500 characters. Only a string: String() of an arbitrary JSON value
 * can throw (`{"toString": 1}`), which answered 500.
 */
function abortReason(body: unknown): string {
  const reason = typeof body === "object" && body !== null && "reason" in body ? body.reason : null;
  if (reason === null || reason === undefined) return "";
  if (typeof reason !== "string") throw invalidInput("Invalid request: reason: expected a string.");
  return reason.slice(0, 500);
}
