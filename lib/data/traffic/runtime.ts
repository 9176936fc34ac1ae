/**
 * Start-up of the traffic side of the server, called once from instrumentation.ts `register()` (Node runtime):
 * open the store, print the one-time login token (unless OIDC is configured), and start the plan runner loop.
 * Idempotent (kept on globalThis), so a lazy call from a route is safe too.
 */
import "server-only";
import { issueLoginToken } from "@/lib/auth/login-token";
import { env } from "@/lib/config/env";
import { runningCollector } from "@/lib/collector/runtime";
import { store } from "@/lib/store";
import { defaultTrafficDeps } from "./default-deps";
import { startPlanLoop, type RunningLoop } from "./runner";

const holder = globalThis as typeof globalThis & { __fleetscopeRunner?: RunningLoop };

export function ensureTrafficRuntime(): RunningLoop {
  if (holder.__fleetscopeRunner) return holder.__fleetscopeRunner;
  const settings = env();
  const s = store();
  if (!settings.oidc) {
    const token = issueLoginToken(s.settings, settings.loginTokenFile);
    console.log(
      `[fleetscope] Operator login token (one-time; also in ${settings.loginTokenFile}): ${token}\n` +
        `[fleetscope] Sign in at /login to change alias traffic.${settings.readOnly ? " (read-only mode: changes are disabled)" : ""}`,
    );
  }
  const loop = startPlanLoop(
    defaultTrafficDeps,
    settings.planTickSeconds * 1000,
    settings.leaseSeconds * 1000,
  );
  holder.__fleetscopeRunner = loop;
  const stop = () => {
    // The collector shares the process: release its lease too, so a restarted console takes over at once.
    void Promise.all([loop.stop(), runningCollector()?.stop()]).finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return loop;
}

export const kickPlanRunner = () => holder.__fleetscopeRunner?.kick();
