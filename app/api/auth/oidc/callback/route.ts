/** GET: the provider's redirect back; verifies the ID token and starts an operator or viewer session. */
import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { finishSignIn, OIDC_FLOW_COOKIE } from "@/lib/auth/oidc";
import { isHttps, oidcRedirectUri, signingKey, startSession } from "@/lib/auth/server";
import { env } from "@/lib/config/env";
import { FleetscopeError } from "@/lib/core/errors";
import { errorResponse } from "../../../respond";

export async function GET(request: Request) {
  try {
    const oidc = env().oidc;
    if (!oidc) throw new FleetscopeError("NotFound", "OpenID Connect sign-in is not configured.");
    const params = new URL(request.url).searchParams;
    const jar = await cookies();
    const { principal, returnTo } = await finishSignIn(
      oidc,
      oidcRedirectUri(request),
      { code: params.get("code"), state: params.get("state") },
      jar.get(OIDC_FLOW_COOKIE)?.value,
      signingKey(),
    );
    jar.delete(OIDC_FLOW_COOKIE);
    await startSession(principal, isHttps(request));
    return NextResponse.redirect(new URL(returnTo, env().publicUrl ?? request.url));
  } catch (e) {
    return errorResponse(e);
  }
}
