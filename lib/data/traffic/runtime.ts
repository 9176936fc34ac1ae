/**
 * Start-up of the traffic side of the server, called once from instrumentation.ts `register()` (Node runtime):
 * start the plan runner loop (every replica runs one; the plan-runner lease picks the one that drives plans),
 * stop running plans safely in read-only mode, end sessions signed with a previous secret, and print the
 * one-time login token (unless OIDC is configured or the console is read-only). Idempotent (kept on
 * globalThis), so a lazy call from a route is safe too.
 */
import "server-only";
import { issueLoginToken } from "@/lib/auth/login-token";
import type { Principal } from "@/lib/auth/principal";
import { signingSecret } from "@/lib/auth/server";
import { noteSigningSecret } from "@/lib/auth/session-store";
import { env } from "@/lib/config/env";
import { replicaId } from "@/lib/config/replica";
import { describeRouting } from "@/lib/core/traffic/routing";
import { runningCollector } from "@/lib/collector/runtime";
import type { Store } from "@/lib/store";
import type { Fence } from "@/lib/store/leases";
import type { StoredPlan } from "@/lib/store/plans";
import { defaultTrafficDeps } from "./default-deps";
import type { TrafficDeps } from "./deps";
import { abortPlan } from "./plans";
import { PLAN_RUNNER_LEASE, startPlanLoop, type RunningLoop } from "./runner";

const holder = globalThis as typeof globalThis & { __fleetscopeRunner?: RunningLoop };

/** A stopping process exits by then whatever still runs: under Docker's default 10 s grace before SIGKILL. */
const SHUTDOWN_DEADLINE_MS = 8_000;

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
 * Is no writable replica around? The plan-runner lease row is absent, or expired for more than two lease periods
 * (a writable replica renews it every tick and takes it back within one lease and one tick of a lapse). A row
 * released by a clean stop (expires_at 0) says nothing of when: then it must have been seen free for that long
 * by this process (`freeSince`, kept by the caller across sweeps).
 */
export async function writableRunnerGone(
  store: Store,
  now: number,
  leaseMs: number,
  freeSince: { at: number | null },
): Promise<boolean> {
  // Any row, expired or not (holder() returns rows expiring after the given time).
  const row = await store.leases.holder(PLAN_RUNNER_LEASE, Number.MIN_SAFE_INTEGER);
  if (row === null) return true;
  if (row.expiresAt > now) {
    freeSince.at = null;
    return false;
  }
  freeSince.at ??= now;
  const since = row.expiresAt > 0 ? row.expiresAt : freeSince.at;
  return now - since > 2 * leaseMs;
}

/** The store as seen through `fence`: every repository call runs in a fenced transaction (LeaseLost if lost). */
function fencedStore(store: Store, fence: Fence): Store {
  const through = <K extends "plans" | "audit" | "inventory">(key: K): Store[K] =>
    new Proxy(store[key], {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) =>
          store.fenced(fence, async (tx) =>
            (Reflect.get(tx[key], name) as (...a: unknown[]) => unknown)(...args),
          );
      },
    });
  return { ...store, plans: through("plans"), audit: through("audit"), inventory: through("inventory") };
}

/**
 * Read-only mode drives no plan, so a running canary would sit at its weight with no guard watching it. Roll
 * each one back to its stable version instead (the same path as an operator's abort, audited), but only when no
 * writable replica is around (`writableRunnerGone`): one that holds, or just briefly lost, the plan-runner lease
 * drives every plan with its guards. The sweep takes that lease and fences its writes with it, renews it before
 * each plan, and releases it right after, so no runner steps a plan meanwhile. A plan whose rollback fails (AWS
 * down) stays running and is retried on the next call.
 */
export async function stopPlansForReadOnly(
  deps: TrafficDeps,
  owner: string,
  leaseMs: number,
  freeSince: { at: number | null } = { at: null },
): Promise<StoppedPlan[]> {
  const stopped: StoppedPlan[] = [];
  if (!(await writableRunnerGone(deps.store, deps.now(), leaseMs, freeSince))) return stopped;
  const lease = await deps.store.leases.acquire(PLAN_RUNNER_LEASE, owner, deps.now(), leaseMs);
  if (!lease) return stopped;
  const act = { ...deps, readOnly: false, store: fencedStore(deps.store, lease) };
  try {
    for (const plan of await deps.store.plans.running()) {
      // Renewed before each plan (a rollback may take a while); another generation: someone else drives now.
      const renewed = await deps.store.leases.acquire(PLAN_RUNNER_LEASE, owner, deps.now(), leaseMs);
      if (renewed?.generation !== lease.generation) break;
      const { functionName, alias, account, region, stableVersion } = plan.spec;
      const target = `${functionName}:${alias} (account ${account}, ${region})`;
      try {
        const done = await abortPlan(
          act,
          READ_ONLY_ACTOR,
          plan.id,
          `${READ_ONLY_STOP_REASON} v${stableVersion}`,
        );
        const last = (await deps.store.audit.list({ planId: plan.id, limit: 1 }))[0];
        const now = last?.after ? describeRouting(last.after) : (last?.detail ?? done.state.status);
        stopped.push({ planId: plan.id, target, ok: true, detail: now });
      } catch (e) {
        stopped.push({
          planId: plan.id,
          target,
          ok: false,
          detail: e instanceof Error ? e.message : String(e),
        });
      }
    }
  } finally {
    await deps.store.leases.release(PLAN_RUNNER_LEASE, owner);
  }
  return stopped;
}

/** Plans stopped because the console started read-only (newest first), for /traffic to say so. */
export const plansStoppedForReadOnly = async (s: Store): Promise<StoredPlan[]> =>
  (await s.plans.recent(50)).filter(
    (p) => p.state.status === "aborted" && p.state.reason?.startsWith(READ_ONLY_STOP_REASON),
  );

function logStopped(stopped: StoppedPlan[]): void {
  for (const s of stopped) {
    console.log(
      s.ok
        ? `[fleetscope] Read-only mode: stopped plan ${s.planId} on ${s.target}; alias now ${s.detail}.`
        : `[fleetscope] Read-only mode: could not stop plan ${s.planId} on ${s.target} (${s.detail}); retrying.`,
    );
  }
}

/** The start-up notes: sessions signed with a previous secret end; the one-time login token is printed. */
async function announce(deps: TrafficDeps, settings: ReturnType<typeof env>): Promise<void> {
  const s = deps.store;
  const ended = await noteSigningSecret(s, await signingSecret());
  if (ended > 0) console.log(`[fleetscope] The session secret changed: ${ended} session(s) ended.`);
  if (settings.readOnly) {
    console.log("[fleetscope] Read-only mode (FLEETSCOPE_READ_ONLY): changes and sign-in are disabled.");
  } else if (!settings.oidc) {
    const token = await issueLoginToken(s.settings, settings.loginTokenFile, deps.now());
    console.log(
      `[fleetscope] Operator login token (one-time; also in ${settings.loginTokenFile}): ${token}\n` +
        "[fleetscope] Sign in at /login to change alias traffic; `npm run login-token` prints a new token.",
    );
  }
}

/**
 * Starts the plan loop (this replica's bid for the plan-runner lease) at once, then makes the start-up notes.
 * A store that cannot be reached does not stop the server: pages say so, the runner acts on nothing until it
 * answers, and the notes are skipped with one line (`npm run login-token` issues a token later).
 */
export async function ensureTrafficRuntime(): Promise<RunningLoop> {
  if (holder.__fleetscopeRunner) return holder.__fleetscopeRunner;
  const settings = env();
  const owner = replicaId();
  const leaseMs = settings.leaseSeconds * 1000;
  const loop = startPlanLoop(
    defaultTrafficDeps,
    settings.planTickSeconds * 1000,
    leaseMs,
    owner,
    settings.planTickTimeoutSeconds * 1000,
  );
  holder.__fleetscopeRunner = loop;
  let retry: ReturnType<typeof setInterval> | null = null;
  if (settings.readOnly) {
    let busy = false;
    const freeSince = { at: null as number | null };
    const sweep = () => {
      if (busy) return;
      busy = true;
      void defaultTrafficDeps()
        .then((deps) => stopPlansForReadOnly(deps, owner, leaseMs, freeSince))
        .then(logStopped, (e: unknown) => console.error("[fleetscope] read-only plan stop:", e))
        .finally(() => (busy = false));
    };
    sweep();
    // Plans whose rollback failed, or whose runner replica died, are retried at the runner's cadence.
    retry = setInterval(sweep, settings.planTickSeconds * 1000);
    retry.unref();
  }
  // The process's shutdown: hand both leases over, then exit (this handler ends the process: with
  // NEXT_MANUAL_SIG_HANDLE set, as in the image, `next start` installs no handler of its own; unset, its handler
  // exits as soon as the server closed, and a lease it cut short lapses after one lease period).
  const stop = () => {
    if (retry) clearInterval(retry);
    // Whatever still hangs (a store that does not answer) does not outlast the container's grace period.
    setTimeout(() => process.exit(0), SHUTDOWN_DEADLINE_MS).unref();
    // The collector shares the process: release its lease too, so another replica takes over at once.
    void Promise.allSettled([loop.stop(), runningCollector()?.stop()]).finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  await defaultTrafficDeps()
    .then((deps) => announce(deps, settings))
    .catch((e: unknown) =>
      console.error(`[fleetscope] Start-up notes skipped: ${e instanceof Error ? e.message : String(e)}`),
    );
  return loop;
}

export const kickPlanRunner = () => holder.__fleetscopeRunner?.kick();
