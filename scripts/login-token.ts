/**
 * `npm run -s login-token`: print a fresh one-time operator login token (replacing any unused one) for the
 * console that shares this store (FLEETSCOPE_DATABASE_URL), also written to FLEETSCOPE_LOGIN_TOKEN_FILE.
 * `-- --end-all-sessions` first signs every browser out. No restart needed: the console reads both from the store.
 */
import { issueLoginToken } from "@/lib/auth/login-token";
import { endAllSessions } from "@/lib/auth/session-store";
import { env } from "@/lib/config/env";
import { store } from "@/lib/store";

const USAGE = `Usage: npm run -s login-token [-- --end-all-sessions] [-- --no-token]
  Prints a new one-time login token for /login (stdout: the token alone).
  --end-all-sessions  end every signed-in session first (logout everywhere)
  --no-token          issue no token (with --end-all-sessions: only sign everybody out)`;

function main(argv: string[]): number {
  const known = new Set(["--end-all-sessions", "--no-token", "--help"]);
  const unknown = argv.find((a) => !known.has(a));
  if (unknown) {
    console.error(`unknown option ${unknown}\n\n${USAGE}`);
    return 2;
  }
  if (argv.includes("--help")) {
    console.log(USAGE);
    return 0;
  }
  const settings = env();
  const s = store();
  if (argv.includes("--end-all-sessions")) console.error(`Ended ${endAllSessions(s)} session(s).`);
  if (argv.includes("--no-token")) return 0;
  if (settings.oidc)
    console.error("Note: OpenID Connect is configured; the token still signs in as local-operator.");
  if (settings.readOnly)
    console.error("Note: FLEETSCOPE_READ_ONLY is set here; a read-only console refuses sign-in.");
  console.log(issueLoginToken(s.settings, settings.loginTokenFile));
  console.error(`(also written to ${settings.loginTokenFile}; one-time, replaces any earlier unused token)`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 2;
}
