/** JSON answers for the API routes: one mapping from coded errors to HTTP statuses, used by every route. */
import { NextResponse } from "next/server";
import { isFleetscopeError, type ErrorCode } from "@/lib/core/errors";

const STATUS: Record<ErrorCode, number> = {
  NotFound: 404,
  AccessDenied: 403,
  Throttled: 429,
  InvalidInput: 400,
  Conflict: 409,
  Unavailable: 503,
  Unsupported: 501,
  Timeout: 504,
  Unauthenticated: 401,
};

export function errorResponse(e: unknown): NextResponse {
  if (isFleetscopeError(e)) {
    return NextResponse.json(
      { error: { code: e.code, message: e.message, details: e.details ?? null } },
      { status: STATUS[e.code] },
    );
  }
  console.error("[fleetscope] api:", e);
  return NextResponse.json({ error: { code: "Unavailable", message: "Internal error" } }, { status: 500 });
}

/** A JSON body, or InvalidInput-shaped 400 for anything that is not JSON. */
export async function jsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return null;
  }
}
