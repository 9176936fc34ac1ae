import { READ_ONLY_LOGIN_MESSAGE } from "@/lib/auth/login-token";
import { safeReturnTo } from "@/lib/auth/oidc";
import { env } from "@/lib/config/env";
import { LoginForm } from "./login-form";

export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ returnTo?: string }> }) {
  const { returnTo } = await searchParams;
  const back = safeReturnTo(returnTo ?? null);
  const { oidc, readOnly } = env();
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="text-lg font-semibold">Sign in</h1>
      {readOnly ? (
        <p role="alert" className="text-sm text-amber-800 dark:text-amber-300">
          {READ_ONLY_LOGIN_MESSAGE} Everything stays readable without signing in.
        </p>
      ) : oidc ? (
        <a
          className="rounded bg-sky-600 px-3 py-1.5 text-sm font-medium text-white"
          href={`/api/auth/oidc/start?returnTo=${encodeURIComponent(back)}`}
        >
          Sign in with your identity provider
        </a>
      ) : (
        <LoginForm returnTo={back} />
      )}
    </div>
  );
}
