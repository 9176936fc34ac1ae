/** POST { token }: exchange the one-time login token printed at start-up for an operator session. */
import { NextResponse } from "next/server";
import { consumeLoginToken } from "@/lib/auth/login-token";
import { checkSameOrigin } from "@/lib/auth/origin";
import { isHttps, setSessionCookie } from "@/lib/auth/server";
import { env } from "@/lib/config/env";
import { FleetscopeError } from "@/lib/core/errors";
import { store } from "@/lib/store";
import { errorResponse, jsonBody } from "../../respond";

export async function POST(request: Request) {
  try {
    const origin = checkSameOrigin({
      method: "POST",
      origin: request.headers.get("origin"),
      secFetchSite: request.headers.get("sec-fetch-site"),
      host: request.headers.get("host"),
      publicUrl: env().publicUrl,
    });
    if (!origin.ok) throw new FleetscopeError("AccessDenied", `Refused: ${origin.reason}.`);
    const body = await jsonBody(request);
    const token = typeof body === "object" && body !== null && "token" in body ? String(body.token) : "";
    if (!consumeLoginToken(store().settings, token)) {
      throw new FleetscopeError("Unauthenticated", "That login token is not valid or was already used.");
    }
    const principal = {
      id: "local-operator",
      name: "local-operator",
      role: "operator" as const,
      via: "token" as const,
    };
    await setSessionCookie(principal, isHttps(request));
    return NextResponse.json({ principal });
  } catch (e) {
    return errorResponse(e);
  }
}
