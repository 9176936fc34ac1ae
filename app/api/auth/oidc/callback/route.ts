/** GET: the provider's redirect back; verifies the ID token and starts an operator or viewer session. */
import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { finishSignIn, OIDC_FLOW_COOKIE } from "@/lib/auth/oidc";
import {
  isHttps,
  nowSeconds,
  oidcCallOptions,
  oidcRedirectUri,
  signingKey,
  startSession,
} from "@/lib/auth/server";
import { env } from "@/lib/config/env";
import { FleetscopeError } from "@/lib/core/errors";
import { errorResponse } from "../../../respond";

export async function GET(request: Request) {
  try {
    const oidc = env().oidc;
    if (!oidc) throw new FleetscopeError("NotFound", "OpenID Connect sign-in is not configured.");
    const jar = await cookies();
    const { principal, returnTo } = await finishSignIn(
      oidc,
      oidcRedirectUri(request),
      new URL(request.url).searchParams,
      jar.get(OIDC_FLOW_COOKIE)?.value,
      await signingKey(),
      nowSeconds(),
      oidcCallOptions(),
    );
    jar.delete(OIDC_FLOW_COOKIE);
    await startSession(principal, isHttps(request));
    return NextResponse.redirect(new URL(returnTo, env().publicUrl ?? request.url));
  } catch (e) {
    return errorResponse(e);
  }
}
