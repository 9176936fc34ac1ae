/** GET: redirect to the OpenID Connect provider (authorization code + PKCE). */
import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { READ_ONLY_LOGIN_MESSAGE } from "@/lib/auth/login-token";
import { OIDC_FLOW_COOKIE, OIDC_FLOW_TTL_SECONDS, startSignIn } from "@/lib/auth/oidc";
import { isHttps, nowSeconds, oidcCallOptions, oidcRedirectUri, signingKey } from "@/lib/auth/server";
import { env } from "@/lib/config/env";
import { FleetscopeError } from "@/lib/core/errors";
import { errorResponse } from "../../../respond";

export async function GET(request: Request) {
  try {
    const oidc = env().oidc;
    if (!oidc) throw new FleetscopeError("NotFound", "OpenID Connect sign-in is not configured.");
    if (env().readOnly) throw new FleetscopeError("AccessDenied", READ_ONLY_LOGIN_MESSAGE);
    const returnTo = new URL(request.url).searchParams.get("returnTo");
    const { url, flowCookie } = await startSignIn(
      oidc,
      oidcRedirectUri(request),
      returnTo,
      await signingKey(),
      nowSeconds(),
      oidcCallOptions(),
    );
    (await cookies()).set(OIDC_FLOW_COOKIE, flowCookie, {
      httpOnly: true,
      sameSite: "lax",
      secure: isHttps(request),
      path: "/api/auth/oidc",
      maxAge: OIDC_FLOW_TTL_SECONDS,
    });
    return NextResponse.redirect(url);
  } catch (e) {
    return errorResponse(e);
  }
}
