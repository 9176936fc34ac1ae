/** POST: end this browser's session server-side (a copy of the cookie stops working too) and clear the cookie. */
import { NextResponse } from "next/server";
import { endCurrentSession, requireSameOrigin } from "@/lib/auth/server";
import { errorResponse } from "../../respond";

export async function POST(request: Request) {
  try {
    // Cross-site logout would be a nuisance attack: same check as every other POST.
    requireSameOrigin(request);
    await endCurrentSession();
    return NextResponse.json({ ok: true });
  } catch (e) {
    return errorResponse(e);
  }
}
