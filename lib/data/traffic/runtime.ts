/**
 * Start-up of the traffic side of the server, called once from instrumentation.ts `register()` (Node runtime):
 * open the store, end sessions signed with a previous secret, print the one-time login token (unless OIDC is
 * configured or the console is read-only), stop running plans safely in read-only mode, and start the plan
 * runner loop. Idempotent (kept on globalThis), so a lazy call from a route is safe too.
 */
import "server-only";
import { issueLoginToken } from "@/lib/auth/login-token";
import type { Principal } from "@/lib/auth/principal";
import { signingSecret } from "@/lib/auth/server";
import { noteSigningSecret } from "@/lib/auth/session-store";
import { env } from "@/lib/config/env";
import { describeRouting } from "@/lib/core/traffic/routing";
import { runningCollector } from "@/lib/collector/runtime";
import { store, type Store } from "@/lib/store";
import type { StoredPlan } from "@/lib/store/plans";
import { defaultTrafficDeps } from "./default-deps";
import type { TrafficDeps } from "./deps";
import { abortPlan } from "./plans";
import { newOwnerId, startPlanLoop, type RunningLoop } from "./runner";

const holder = globalThis as typeof globalThis & { __fleetscopeRunner?: RunningLoop };

/** Who the audit log names for plans stopped because the console started read-only. */
export const READ_ONLY_ACTOR: Principal = {
  id: "read-only-start",
  name: "read-only-start",
  role: "operator",
  via: "token",
};
export const READ_ONLY_STOP_REASON = "console started in read-only mode: plan stopped, traffic back on";

export interface StoppedPlan {
  planId: string;
  target: string;
  ok: boolean;
  detail: string;
}

/**
 * Read-only mode drives no plan, so a running canary would sit at its weight with no guard watching it. Roll
 * each one back to its stable version instead (the same path as an operator's abort, audited), unless another
 * live instance holds its lease and is driving it with guards. A plan whose rollback fails (AWS down) stays
 * running and is retried on the next call.
 */
export async function stopPlansForReadOnly(
  deps: TrafficDeps,
  owner: string,
  leaseMs: number,
): Promise<StoppedPlan[]> {
  const stopped: StoppedPlan[] = [];
  const act = { ...deps, readOnly: false };
  for (const plan of deps.store.plans.running()) {
    const { region, functionName, alias, stableVersion } = plan.spec;
    // The runner's lease key (runner.ts): held by a live instance means someone is guarding this plan.
    if (!deps.store.leases.acquire(`alias:${region}:${functionName}:${alias}`, owner, deps.now(), leaseMs))
      continue;
    const target = `${functionName}:${alias} (${region})`;
    try {
      const done = await abortPlan(
        act,
        READ_ONLY_ACTOR,
        plan.id,
        `${READ_ONLY_STOP_REASON} v${stableVersion}`,
      );
      const last = deps.store.audit.list({ planId: plan.id, limit: 1 })[0];
      const now = last?.after ? describeRouting(last.after) : (last?.detail ?? done.state.status);
      stopped.push({ planId: plan.id, target, ok: true, detail: now });
    } catch (e) {
      stopped.push({
        planId: plan.id,
        target,
        ok: false,
        detail: e instanceof Error ? e.message : String(e),
      });
    } finally {
      deps.store.leases.release(`alias:${region}:${functionName}:${alias}`, owner);
    }
  }
  return stopped;
}

/** Plans stopped because the console started read-only (newest first), for /traffic to say so. */
export const plansStoppedForReadOnly = (s: Store): StoredPlan[] =>
  s.plans
    .recent(50)
    .filter((p) => p.state.status === "aborted" && p.state.reason?.startsWith(READ_ONLY_STOP_REASON));

function logStopped(stopped: StoppedPlan[]): void {
  for (const s of stopped) {
    console.log(
      s.ok
        ? `[fleetscope] Read-only mode: stopped plan ${s.planId} on ${s.target}; alias now ${s.detail}.`
        : `[fleetscope] Read-only mode: could not stop plan ${s.planId} on ${s.target} (${s.detail}); retrying.`,
    );
  }
}

export function ensureTrafficRuntime(): RunningLoop {
  if (holder.__fleetscopeRunner) return holder.__fleetscopeRunner;
  const settings = env();
  const s = store();
  const ended = noteSigningSecret(s, signingSecret());
  if (ended > 0) console.log(`[fleetscope] The session secret changed: ${ended} session(s) ended.`);
  if (settings.readOnly) {
    console.log("[fleetscope] Read-only mode (FLEETSCOPE_READ_ONLY): changes and sign-in are disabled.");
  } else if (!settings.oidc) {
    const token = issueLoginToken(s.settings, settings.loginTokenFile);
    console.log(
      `[fleetscope] Operator login token (one-time; also in ${settings.loginTokenFile}): ${token}\n` +
        "[fleetscope] Sign in at /login to change alias traffic; `npm run login-token` prints a new token.",
    );
  }
  const owner = newOwnerId();
  const leaseMs = settings.leaseSeconds * 1000;
  const loop = startPlanLoop(
    defaultTrafficDeps,
    settings.planTickSeconds * 1000,
    leaseMs,
    owner,
    settings.planTickTimeoutSeconds * 1000,
  );
  let retry: ReturnType<typeof setInterval> | null = null;
  if (settings.readOnly) {
    let busy = false;
    const sweep = () => {
      if (busy) return;
      busy = true;
      void stopPlansForReadOnly(defaultTrafficDeps(), owner, leaseMs)
        .then(logStopped, (e: unknown) => console.error("[fleetscope] read-only plan stop:", e))
        .finally(() => (busy = false));
    };
    sweep();
    // Plans whose rollback failed, or whose other instance died, are retried at the runner's cadence.
    retry = setInterval(sweep, settings.planTickSeconds * 1000);
    retry.unref();
  }
  holder.__fleetscopeRunner = loop;
  const stop = () => {
    if (retry) clearInterval(retry);
    // The collector shares the process: release its lease too, so a restarted console takes over at once.
    void Promise.all([loop.stop(), runningCollector()?.stop()]).finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return loop;
}

export const kickPlanRunner = () => holder.__fleetscopeRunner?.kick();
