import { env } from "@/lib/config/env";
import { LoginForm } from "./login-form";

export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ returnTo?: string }> }) {
  const { returnTo } = await searchParams;
  const oidc = env().oidc !== null;
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="text-lg font-semibold">Sign in</h1>
      {oidc ? (
        <a
          className="rounded bg-sky-600 px-3 py-1.5 text-sm font-medium text-white"
          href={`/api/auth/oidc/start?returnTo=${encodeURIComponent(returnTo ?? "/traffic")}`}
        >
          Sign in with your identity provider
        </a>
      ) : (
        <LoginForm returnTo={returnTo ?? "/traffic"} />
      )}
    </div>
  );
}
