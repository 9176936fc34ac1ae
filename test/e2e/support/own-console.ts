/**
 * A console of a test file's own: `next start` on the shared build (next-server.ts) with its own SQLite file and
 * login-token file in a temp dir, in front of the AWS endpoint the test chooses (the sandbox, or a proxy before
 * it). For tests that sign in, change traffic or break AWS without disturbing the global console.
 * Replicas (issue 16): consoles given the same `databaseUrl` (a PostgreSQL database) share one store, as the
 * replicas of a team deployment do; `health()` reads what each says of the store and the leases.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { sessionKey } from "@/lib/auth/session";
import { openSession } from "@/lib/auth/session-store";
import { createStore } from "@/lib/store";
import { openDatabase } from "@/lib/store/database";
import { startConsole, type RunningConsole } from "./next-server";
import { freePort } from "./ports";

export interface OwnConsole {
  url: string;
  /** Its temp dir: fleetscope.db and login-token. */
  dir: string;
  /** The variables it runs with on top of the test's environment (a CLI given them reaches the same store). */
  env: Record<string, string>;
  /** FLEETSCOPE_DATABASE_URL: its SQLite file, or the shared store it was given. */
  databaseUrl: string;
  /** GET /api/health: the replica's name, its store and the leases (HTTP 503 when the store is unreachable). */
  health(): Promise<ConsoleHealth>;
  /** SIGTERM is a clean shutdown (the plan and collector leases released); SIGKILL is a crash. */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts it again after a stop, on the same port and data dir. */
  restart(): Promise<void>;
  /** Stops it and removes its dir. */
  close(): Promise<void>;
}

export interface OwnConsoleOptions {
  /** AWS_ENDPOINT_URL: the e2e sandbox, or a proxy in front of it. */
  endpoint: string;
  /** The test's own settings (session secret, plan ticks, timeouts…), over the defaults below. */
  env?: Record<string, string>;
  /** Names the temp dir, for whoever finds one left behind. */
  name: string;
  /**
   * The store, e.g. a PostgreSQL database another console uses too (replicas); default: a SQLite file in its dir.
   * Wins over `env.FLEETSCOPE_DATABASE_URL`.
   */
  databaseUrl?: string;
}

const LeaseHealth = z.object({
  held: z.boolean(),
  holder: z.string().nullable(),
  generation: z.number().nullable(),
});

/** The body of GET /api/health (contracts of issue 16), checked, with the HTTP status it came with. */
const HealthBody = z.object({
  replica: z.string(),
  store: z.object({
    dialect: z.enum(["sqlite", "postgres"]),
    reachable: z.boolean(),
    latencyMs: z.number().nullable(),
    error: z.string().optional(),
  }),
  leases: z.object({ collector: LeaseHealth, planRunner: LeaseHealth }),
});
export type ConsoleHealth = z.infer<typeof HealthBody> & { status: number };

export async function readHealth(url: string): Promise<ConsoleHealth> {
  const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(10_000) });
  return { ...HealthBody.parse(await res.json()), status: res.status };
}

export async function startOwnConsole({
  endpoint,
  env = {},
  name,
  databaseUrl,
}: OwnConsoleOptions): Promise<OwnConsole> {
  const dir = mkdtempSync(path.join(tmpdir(), `fleetscope-e2e-${name}-`));
  const consoleEnv = {
    AWS_ENDPOINT_URL: endpoint,
    FLEETSCOPE_REGIONS: "us-east-1",
    // No credentials of the developer's may reach the sandbox, or shadow the sandbox's own.
    AWS_ACCESS_KEY_ID: "",
    AWS_SECRET_ACCESS_KEY: "",
    AWS_PROFILE: "",
    FLEETSCOPE_DATABASE_URL: `file:${dir}/fleetscope.db`,
    FLEETSCOPE_LOGIN_TOKEN_FILE: `${dir}/login-token`,
    ...env,
    ...(databaseUrl ? { FLEETSCOPE_DATABASE_URL: databaseUrl } : {}),
  };
  let port = 0;
  let running: RunningConsole;
  const launch = () => startConsole(port, consoleEnv);
  try {
    port = await freePort();
    running = await launch();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const stop = (signal: "SIGTERM" | "SIGKILL" = "SIGTERM") => running.stop(signal);
  return {
    url: running.url,
    dir,
    env: consoleEnv,
    databaseUrl: consoleEnv.FLEETSCOPE_DATABASE_URL,
    health: () => readHealth(running.url),
    stop,
    async restart() {
      running = await launch();
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A session opened directly in an own console's store, as a sign-in from another browser would have (a signed
 * cookie alone is refused: sessions live in the store). `where`: the console's dir (its SQLite file), or the
 * console itself (whatever store it runs on: every replica sharing that store accepts the session).
 * Returns the session cookie's value.
 */
export async function openConsoleSession(
  where: string | Pick<OwnConsole, "databaseUrl">,
  secret: string,
  principal: Principal,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<string> {
  const db = openDatabase(typeof where === "string" ? `file:${where}/fleetscope.db` : where.databaseUrl);
  try {
    return await openSession(createStore(db), principal, sessionKey(secret), nowSeconds);
  } finally {
    await db.close();
  }
}
