/**
 * `npm run -s login-token`: print a fresh one-time operator login token (replacing every unused one, including
 * those console replicas printed at start-up) for the consoles that share this store (FLEETSCOPE_DATABASE_URL),
 * also written to FLEETSCOPE_LOGIN_TOKEN_FILE. `-- --end-all-sessions` first signs every browser out. No restart
 * needed: every replica reads both from the store.
 */
import { issueLoginToken } from "@/lib/auth/login-token";
import { endAllSessions } from "@/lib/auth/session-store";
import { systemClock } from "@/lib/config/clock";
import { env } from "@/lib/config/env";
import { store } from "@/lib/store";

const USAGE = `Usage: npm run -s login-token [-- --end-all-sessions] [-- --no-token]
  Prints a new one-time login token for /login (stdout: the token alone).
  --end-all-sessions  end every signed-in session first (logout everywhere)
  --no-token          issue no token (with --end-all-sessions: only sign everybody out)`;

async function main(argv: string[]): Promise<number> {
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
  try {
    if (argv.includes("--end-all-sessions")) console.error(`Ended ${await endAllSessions(s)} session(s).`);
    if (argv.includes("--no-token")) return 0;
    if (settings.oidc)
      console.error("Note: OpenID Connect is configured; the token still signs in as local-operator.");
    if (settings.readOnly)
      console.error("Note: FLEETSCOPE_READ_ONLY is set here; a read-only console refuses sign-in.");
    const token = await issueLoginToken(s.settings, settings.loginTokenFile, systemClock.now(), {
      replaceUnused: true,
    });
    console.log(token);
    console.error(
      `(also written to ${settings.loginTokenFile}; one-time, replaces any earlier unused token)`,
    );
    return 0;
  } finally {
    await s.db.close(); // a PostgreSQL pool would keep the process alive
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 2;
  },
);
