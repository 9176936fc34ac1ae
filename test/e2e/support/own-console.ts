/**
 * A console of a test file's own: `next start` on the shared build (next-server.ts) with its own SQLite file and
 * login-token file in a temp dir, in front of the AWS endpoint the test chooses (the sandbox, or a proxy before
 * it). For tests that sign in, change traffic or break AWS without disturbing the global console.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
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
}

export async function startOwnConsole({ endpoint, env = {}, name }: OwnConsoleOptions): Promise<OwnConsole> {
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
 * cookie alone is refused: sessions live in the store). Returns the session cookie's value.
 */
export async function openConsoleSession(
  dir: string,
  secret: string,
  principal: Principal,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<string> {
  const db = openDatabase(`file:${dir}/fleetscope.db`);
  try {
    return await openSession(createStore(db), principal, sessionKey(secret), nowSeconds);
  } finally {
    db.close();
  }
}
