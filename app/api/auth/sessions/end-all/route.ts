/** POST: an operator ends every session (every browser, every user, their own included). */
import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { endEverySession, requireSignedInOperator } from "@/lib/auth/server";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { errorResponse } from "../../../respond";

export async function POST(request: Request) {
  try {
    const who = await requireSignedInOperator(request);
    const ended = await endEverySession();
    console.log(`[fleetscope] ${who.name} ended all sessions (${ended}).`);
    (await cookies()).delete(SESSION_COOKIE);
    return NextResponse.json({ ended });
  } catch (e) {
    return errorResponse(e);
  }
}
