/** POST { token }: exchange the one-time login token (start-up or `npm run login-token`) for an operator session. */
import { NextResponse } from "next/server";
import { LOCAL_OPERATOR, READ_ONLY_LOGIN_MESSAGE } from "@/lib/auth/login-token";
import { exchangeLoginTokenNow, isHttps, requireSameOrigin, setSessionCookieValue } from "@/lib/auth/server";
import { env } from "@/lib/config/env";
import { FleetscopeError } from "@/lib/core/errors";
import { errorResponse, jsonBody } from "../../respond";

export async function POST(request: Request) {
  try {
    requireSameOrigin(request);
    // Refused before the token is touched: it stays valid for when read-only mode is lifted.
    if (env().readOnly) throw new FleetscopeError("AccessDenied", READ_ONLY_LOGIN_MESSAGE);
    const body = await jsonBody(request);
    const token =
      typeof body === "object" && body !== null && "token" in body && typeof body.token === "string"
        ? body.token
        : "";
    const cookie = await exchangeLoginTokenNow(token);
    if (!cookie) {
      throw new FleetscopeError(
        "Unauthenticated",
        "That login token is not valid or was already used. Get a new one with `npm run login-token`.",
      );
    }
    await setSessionCookieValue(cookie, isHttps(request));
    return NextResponse.json({ principal: LOCAL_OPERATOR });
  } catch (e) {
    return errorResponse(e);
  }
}
