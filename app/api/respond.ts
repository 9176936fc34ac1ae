/** JSON answers for the API routes: one mapping from coded errors to HTTP statuses, used by every route. */
import { NextResponse } from "next/server";
import { FleetscopeError, invalidInput, isFleetscopeError, type ErrorCode } from "@/lib/core/errors";

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
  TooLarge: 413,
  // Another replica took over the work while this one was writing: nothing was written; retrying is safe.
  LeaseLost: 409,
};

/** Every API body is a few hundred bytes; anything far larger is refused before it is read whole. */
export const MAX_BODY_BYTES = 64 * 1024;

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

/**
 * A request's JSON body; null when there is none or it does not parse (the use-case's schema then says what is
 * missing). A body sent as another media type is refused unread: text/plain and form encodings are what a
 * cross-site form can send without a CORS preflight, so this is a second lock behind the Origin check.
 */
export async function jsonBody(request: Request): Promise<unknown> {
  if (request.body !== null && !isJsonMediaType(request.headers.get("content-type"))) {
    throw invalidInput("The request body must be JSON, sent with Content-Type: application/json.");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const text = await readCapped(request);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

const tooLarge = () =>
  new FleetscopeError("TooLarge", `The request body is over ${MAX_BODY_BYTES / 1024} KB.`);

/** The body as text, stopping as soon as it passes the limit (a chunked body declares no length). */
async function readCapped(request: Request): Promise<string> {
  if (request.body === null) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const isJsonMediaType = (contentType: string | null) =>
  contentType?.split(";", 1)[0]?.trim().toLowerCase() === "application/json";
