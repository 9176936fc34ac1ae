/** Build and run the console as a real `next start` process, as a deployment would. */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "../../..");
const nextBin = path.join(root, "node_modules", ".bin", "next");

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/**
 * `next build`, unless E2E_REUSE_BUILD=1 and a build exists (for iterating on tests; CI always builds, since a
 * stale build would test old code).
 */
export async function buildApp(): Promise<void> {
  if (process.env.E2E_REUSE_BUILD === "1" && existsSync(path.join(root, ".next", "BUILD_ID"))) return;
  const child = spawn(nextBin, ["build"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const code = await exitOf(child);
  if (code !== 0) throw new Error(`next build failed (exit ${code})`);
}

export interface RunningConsole {
  url: string;
  /** SIGTERM (default) is a clean shutdown, SIGKILL after 5 s; `stop("SIGKILL")` is a crash. */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
}

export async function startConsole(port: number, env: Record<string, string>): Promise<RunningConsole> {
  const child = spawn(nextBin, ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: { ...process.env, ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = exitOf(child);
  const stop = async (signal: "SIGTERM" | "SIGKILL" = "SIGTERM") => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited early (${child.exitCode})`);
    try {
      // A tiny static route: ready means the server answers, not that AWS is reachable.
      const res = await fetch(`${url}/advisor`);
      if (res.status < 500) return { url, stop };
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not answer on ${url} within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
