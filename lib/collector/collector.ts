/**
 * The collector loop: while it holds the store's collector lease, every `tickMs` it runs each scope's (account-
 * region's) due steps — inventory and triggers, forward metrics, logs and errors, their backfills, roll-ups and
 * retention — and records what each cost AWS (per scope) and any failure. Exactly one collector works per store; a
 * second one waits for the lease. The scopes are asked for at every tick (accounts come and go).
 *
 * Invariants:
 * - Ticks never overlap; `stop()` releases the lease first, then waits for the running tick at most
 *   STOP_WAIT_MS (its remaining steps write nothing: the lease is gone), so a stopping replica hands over at once.
 * - A failing step (throttled, AWS down, timeout) is recorded and retried after a pause; it never stops the
 *   loop or another scope's work.
 * - Budgets are per account (each account has its own quotas): one Lambda control-plane bucket, one GetPolicy
 *   bucket and one Insights scheduler per account, shared by its regions' steps (accounts read through an OAM
 *   monitoring account share its scheduler: their queries run there).
 * - An account the collector cannot reach (its role refused, its credentials denied) fails only its own scopes:
 *   the failure is kept per account (`status().accounts`, and an "account" event when it starts, changes or
 *   ends), and its scopes wait out a growing pause instead of failing every step of every tick.
 * - Each account's state is also kept in the store (lib/store/collector-accounts.ts), for the other replicas and
 *   the Advisor: written when it changes and on the first try under each lease generation (a restarted or new
 *   leader corrects what the previous one left), never again while it stays the same.
 * - Rows stored before accounts (account '') are adopted by `legacyAccount()` once per start, under the lease,
 *   before anything else is written.
 * - Fencing: each tick acquires (or renews) the lease and keeps it; every write of that tick — rollups, coverage,
 *   costs, events, inventory, triggers, errors, retention — goes through `store.fenced` with it (writer.ts).
 *   When a write finds the lease taken over (LeaseLost), the tick stops quietly: one log line, no event row
 *   (the store belongs to the new leader), `status().leader` false; the next tick tries to acquire again.
 */
import { systemClock } from "@/lib/config/clock";
import { toOutcomeError, type OutcomeError } from "@/lib/core/errors";
import { epochMs } from "@/lib/core/units";
import type { AccountId } from "@/lib/core/accounts/account-id";
import { scopeKey, type Scope } from "@/lib/core/accounts/scope";
import type { Store } from "@/lib/store";
import type { Lease } from "@/lib/store/leases";
import type { CollectorEvent } from "@/lib/store/telemetry";
import { createBudget, createGetPolicyBudget, type Budget } from "./budget";
import { errorsBackfillStep, errorsForwardStep } from "./errors-step";
import {
  backfillStep,
  DEFAULT_SETTINGS,
  forwardStep,
  inventoryStep,
  pruneStep,
  rollUpStep,
  triggersStep,
  type CollectorSettings,
  type RegionContext,
  type RegionPorts,
} from "./region";
import { createInsightsScheduler, type InsightsScheduler } from "./scheduler";
import { createTriggerPlanCache } from "./triggers";
import { fencedWriter, isLeaseLost } from "./writer";

export const COLLECTOR_LEASE = "collector";
const HOUR = 3_600_000;
/** How long `stop()` waits for a running tick once the lease is handed over: well within a container's grace. */
const STOP_WAIT_MS = 5_000;
/** The longest a failing account waits before its scopes are tried again. */
const MAX_ACCOUNT_PAUSE_MS = 10 * 60_000;

/**
 * Failures that mean the account is out of reach, not one call: its role refused or its credentials unknown (the
 * whole account: every region would fail the same way), or the inventory's listing denied (an SCP, which may deny
 * some regions only: that region). A denied detail read (a role policy without lambda:ListAliases) is neither: it
 * fails that step only.
 */
const unreachable = (err: OutcomeError): boolean =>
  refusesAccount(err) ||
  (err.code === "AccessDenied" && /ListFunctions|GetAccountSettings/.test(err.message));
const refusesAccount = (err: OutcomeError): boolean =>
  /could not assume|AssumeRole/.test(err.message) || err.code === "Unauthenticated";

/** Whether a step's result shows it reached AWS (a step with nothing due succeeds without a call). */
const calledAws = (value: unknown): boolean =>
  value !== null &&
  value !== undefined &&
  !(typeof value === "object" && "requests" in value && value.requests === 0);

/** One account's budgets (its own quotas, shared by its regions) and whether the collector reaches it. */
interface AccountState {
  budget: Budget;
  policyBudget: Budget;
  /** While failing: its latest error, `at` when it began failing (kept while it keeps failing). */
  error: AccountCollectionStatus["error"];
  /** The regions refused while failing (an SCP may deny some only); null: the whole account (its role). */
  refused: Set<string> | null;
  /** While failing: its refused scopes wait until then, the pause doubling up to MAX_ACCOUNT_PAUSE_MS. */
  retryAt: number;
  pauseMs: number;
  /** The lease generation its store row was last written under (or is being written); null: not yet. */
  storedGeneration: number | null;
  /** Its store writes, one after another: the last one written is its latest state. */
  storing: Promise<void>;
}

export interface CollectorOptions {
  /**
   * The account-regions to collect, asked at every tick (the process's: accountTargets() × regions, cached there).
   * A rejection keeps the last scopes and is recorded.
   */
  scopes(): readonly Scope[] | Promise<readonly Scope[]>;
  /** The ports reaching one scope (its account's credentials, its region): asked once per scope. */
  portsFor(scope: Scope): RegionPorts;
  /**
   * The account rows stored before accounts (account '') belong to: adopted once per start under the lease,
   * before any step runs. Absent: nothing adopted (a store that never held such rows).
   */
  legacyAccount?: () => Promise<AccountId>;
  /**
   * With `triggers`, the collector also keeps every function's triggers (lib/collector/triggers.ts); with
   * `errors`, the error groups in their own steps (lib/collector/errors-step.ts).
   */
  store: Pick<Store, "telemetry" | "inventory" | "leases" | "fenced"> &
    Partial<Pick<Store, "triggers" | "errors">>;
  /** The lease's owner name: this replica (lib/config/replica.ts). */
  owner: string;
  settings?: Partial<CollectorSettings>;
  tickMs?: number;
  /** The lease's time to live; a dead holder is replaced within this plus one tick. */
  leaseMs?: number;
  /** Lambda control-plane requests per second the collector may spend in each account (AWS allows ~15 for everything). */
  lambdaRequestsPerSecond?: number;
  /** GetPolicy requests per second the collector may spend in each account, in their own bucket (see budget.ts). */
  getPolicyRequestsPerSecond?: number;
  /** Insights queries the collector runs at once in each account. */
  maxConcurrentInsightsQueries?: number;
  /**
   * The account whose Insights quota a scope's queries spend: its own (the default), or, for an account read
   * through an OAM monitoring account, the monitoring account's (one scheduler for all the sources it reads).
   */
  insightsAccountOf?: (scope: Scope) => string;
  /** First pause after an Insights quota error (doubling up to a minute); and the pause before a failed step is retried. */
  retryPauseMs?: number;
  now?: () => number;
  log?: (message: string) => void;
}

/** One account's state: null error when its last round reached it. */
export interface AccountCollectionStatus {
  account: string;
  /** Its latest error while it fails; `at`: when it began failing. */
  error: { code: string; message: string; at: number } | null;
}

export interface CollectorStatus {
  leader: boolean;
  ticks: number;
  lastTickAt: number | null;
  /** Per account (by id): its Insights scheduler's state. */
  insights: Record<string, ReturnType<InsightsScheduler["state"]>>;
  accounts: AccountCollectionStatus[];
}

export interface Collector {
  start(): void;
  /** One round of every due step, now (tests and `npm run collector -- --once`). */
  tick(): Promise<void>;
  stop(): Promise<void>;
  status(): CollectorStatus;
}

type StepName =
  | "inventory"
  | "triggers"
  | "metrics"
  | "logs"
  | "errors"
  | "backfill-metrics"
  | "backfill-logs"
  | "backfill-errors";

const CADENCE: Record<StepName | "maintenance", number> = {
  inventory: 30_000,
  // Every tick: GetPolicy's bucket holds a few seconds' worth (its quota is per second), so it is spent a little
  // each tick rather than capped at one burst per 30 s.
  triggers: 0,
  metrics: 60_000,
  logs: 60_000,
  errors: 60_000,
  "backfill-metrics": 0,
  "backfill-logs": 0,
  "backfill-errors": 0,
  maintenance: HOUR,
};

export function createCollector(opts: CollectorOptions): Collector {
  const now = opts.now ?? systemClock.now;
  const settings: CollectorSettings = { ...DEFAULT_SETTINGS, ...opts.settings };
  const tickMs = opts.tickMs ?? 5_000;
  const leaseMs = opts.leaseMs ?? 60_000;
  const { telemetry, inventory, leases } = opts.store;
  const log = opts.log ?? (() => undefined);
  /** The lease of the running tick; null when not leader or lost during the tick. */
  let lease: Lease | null = null;
  let leader = false;
  const write = fencedWriter(opts.store, () => lease);

  const leaseLost = () => {
    if (lease === null) return;
    log(`collector: lease "${COLLECTOR_LEASE}" generation ${lease.generation} taken over; this tick stops`);
    lease = null;
    leader = false;
  };
  /** A problem for the status page, written fenced; a failure to write it is only logged. */
  const record = (e: CollectorEvent): Promise<void> =>
    write((tx) => tx.telemetry.addEvent(e)).catch((err: unknown) => {
      if (isLeaseLost(err)) leaseLost();
      else log(`collector: could not record an event: ${toOutcomeError(err).message}`);
    });

  const accounts = new Map<string, AccountState>();
  const accountOf = (account: string): AccountState => {
    let state = accounts.get(account);
    if (!state) {
      state = {
        budget: createBudget(opts.lambdaRequestsPerSecond ?? 2, 60, now()),
        policyBudget: createGetPolicyBudget(now(), opts.getPolicyRequestsPerSecond),
        error: null,
        refused: null,
        retryAt: 0,
        pauseMs: 0,
        storedGeneration: null,
        storing: Promise.resolve(),
      };
      accounts.set(account, state);
    }
    return state;
  };
  /** Per account whose Insights quota the queries spend (see `insightsAccountOf`). */
  const schedulers = new Map<string, InsightsScheduler>();
  const schedulerOf = (account: string): InsightsScheduler => {
    let scheduler = schedulers.get(account);
    if (!scheduler) {
      scheduler = createInsightsScheduler({
        maxConcurrent: opts.maxConcurrentInsightsQueries ?? 4,
        firstPauseMs: opts.retryPauseMs ?? 2_000,
        onThrottled: (message, pauseMs) => {
          void record({
            at: now(),
            account,
            region: "*",
            source: "logs",
            level: "warn",
            message: `Insights quota: ${message}; slowing down, next try in ${Math.round(pauseMs / 1000)} s`,
          });
        },
      });
      schedulers.set(account, scheduler);
    }
    return scheduler;
  };
  const charge =
    (scope: Scope): RegionContext["charge"] =>
    (tx, source, cost, at) =>
      tx.telemetry.addCost(scope, source, Math.floor(at / HOUR) * HOUR, cost);

  /** Per scopeKey; a scope no longer asked for is dropped, a new one built with its account's budgets. */
  const contexts = new Map<string, RegionContext>();
  const contextFor = (scope: Scope): RegionContext => {
    const key = scopeKey(scope);
    let ctx = contexts.get(key);
    if (!ctx) {
      const account = accountOf(scope.account);
      ctx = {
        scope: { account: scope.account, region: scope.region },
        ports: opts.portsFor(scope),
        telemetry,
        inventory,
        budget: account.budget,
        triggers: opts.store.triggers
          ? {
              store: opts.store.triggers,
              policyBudget: account.policyBudget,
              planCache: createTriggerPlanCache(),
            }
          : undefined,
        errors: opts.store.errors,
        scheduler: schedulerOf(opts.insightsAccountOf?.(scope) ?? scope.account),
        settings,
        write,
        charge: charge(scope),
      };
      contexts.set(key, ctx);
    }
    return ctx;
  };
  /** The scopes asked for; on a failure to ask, the last ones (recorded once per distinct failure). */
  let scopesFailure: string | null = null;
  async function currentScopes(): Promise<RegionContext[]> {
    try {
      const scopes = await opts.scopes();
      const keys = new Set(scopes.map(scopeKey));
      for (const key of contexts.keys()) if (!keys.has(key)) contexts.delete(key);
      scopesFailure = null;
      return scopes.map(contextFor);
    } catch (e) {
      const err = toOutcomeError(e);
      const message = `the accounts to collect could not be decided (${err.code}: ${err.message}); collecting the last known`;
      if (message !== scopesFailure) {
        log(`collector: ${message}`);
        await record({ at: now(), account: "", region: "*", source: "accounts", level: "error", message });
      }
      scopesFailure = message;
      return [...contexts.values()];
    }
  }

  const nextAt = new Map<string, number>();
  let ticks = 0;
  let lastTickAt: number | null = null;
  let running: Promise<void> | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  /** Whether this start's adoption of rows stored before accounts is done. */
  let adopted = opts.legacyAccount === undefined;

  /** Runs `work`; a failure is recorded and logged ("failed"), a lost lease ends the tick's work ("lost"). */
  async function attempt(
    scope: Scope,
    source: string,
    work: () => Promise<unknown>,
  ): Promise<{ done: true; value: unknown } | { done: false; lost: boolean; error?: OutcomeError }> {
    try {
      return { done: true, value: await work() };
    } catch (e) {
      if (isLeaseLost(e)) {
        leaseLost();
        return { done: false, lost: true };
      }
      const err = toOutcomeError(e);
      log(`collector ${scope.account} ${scope.region} ${source}: ${err.code}: ${err.message}`);
      await record({
        at: now(),
        account: scope.account,
        region: scope.region,
        source,
        level: "error",
        message: `${err.code}: ${err.message}`,
      });
      return { done: false, lost: false, error: err };
    }
  }

  async function step(ctx: RegionContext, name: StepName, work: () => Promise<unknown>): Promise<boolean> {
    const key = `${scopeKey(ctx.scope)}:${name}`;
    const t = now();
    if (lease === null || (nextAt.get(key) ?? 0) > t) return true;
    const result = await attempt(ctx.scope, name, work);
    // Lost: nothing was written; the step is due again as soon as this collector leads again.
    if (!result.done && result.lost) return true;
    // Backfill runs again at once while it has work; everything else waits for its cadence.
    if (result.done)
      nextAt.set(key, CADENCE[name] === 0 && result.value ? 0 : t + Math.max(CADENCE[name], tickMs));
    else nextAt.set(key, t + (opts.retryPauseMs ?? 30_000));
    if (result.done && calledAws(result.value)) await accountReached(ctx.scope);
    else if (!result.done && result.error && unreachable(result.error)) {
      await accountFailed(ctx.scope, result.error);
      return false;
    }
    return true;
  }

  /**
   * Writes `account`'s state to the store (fenced), as it is when the write runs; a write that fails is tried
   * again at the account's next try. The generation is claimed first: the account's other steps of the round
   * need not write it too.
   */
  function storeAccount(account: string, state: AccountState): Promise<void> {
    const generation = lease?.generation;
    if (generation === undefined) return Promise.resolve();
    state.storedGeneration = generation;
    state.storing = state.storing.then(async () => {
      const e = state.error;
      const error = e && { code: e.code, message: e.message, since: epochMs(e.at) };
      try {
        await write((tx) => tx.collectorAccounts.put(account, error, epochMs(now())));
      } catch (err) {
        if (state.storedGeneration === generation) state.storedGeneration = null;
        if (isLeaseLost(err)) leaseLost();
        else log(`collector: could not store account ${account}'s state: ${toOutcomeError(err).message}`);
      }
    });
    return state.storing;
  }

  async function accountReached(scope: Scope): Promise<void> {
    const { account } = scope;
    const state = accountOf(account);
    if (state.error === null) {
      if (state.storedGeneration !== lease?.generation) await storeAccount(account, state);
      return;
    }
    // A region denied by an SCP stays failing while another region answers.
    if (state.refused !== null) {
      state.refused.delete(scope.region);
      if (state.refused.size > 0) return;
    }
    state.error = null;
    state.refused = null;
    state.pauseMs = 0;
    state.retryAt = 0;
    await record({
      at: now(),
      account,
      region: "*",
      source: "account",
      level: "info",
      message: "reachable again",
    });
    await storeAccount(account, state);
  }

  async function accountFailed(scope: Scope, err: OutcomeError): Promise<void> {
    const { account } = scope;
    const state = accountOf(account);
    const wide = refusesAccount(err);
    // Its other regions failing in the same round: one failure, one pause.
    if (state.error !== null && now() < state.retryAt) {
      if (!wide) state.refused?.add(scope.region);
      return;
    }
    const changed = state.error?.code !== err.code || state.error.message !== err.message;
    state.error = { code: err.code, message: err.message, at: state.error?.at ?? now() };
    state.refused = wide ? null : new Set([...(state.refused ?? []), scope.region]);
    state.pauseMs = Math.min(MAX_ACCOUNT_PAUSE_MS, Math.max(opts.retryPauseMs ?? 30_000, state.pauseMs * 2));
    state.retryAt = now() + state.pauseMs;
    if (changed)
      await record({
        at: now(),
        account,
        region: "*",
        source: "account",
        level: "error",
        message: `${err.code}: ${err.message}`,
      });
    if (changed || state.storedGeneration !== lease?.generation) await storeAccount(account, state);
  }

  async function region(ctx: RegionContext): Promise<void> {
    const account = accountOf(ctx.scope.account);
    // A failing account waits out its pause (its refused regions only, when an SCP refused some).
    const refused = account.refused === null || account.refused.has(ctx.scope.region);
    if (account.error !== null && now() < account.retryAt && refused) return;
    if (!(await step(ctx, "inventory", () => inventoryStep(ctx, now())))) return;
    await step(ctx, "triggers", () => triggersStep(ctx, now()));
    await Promise.all([
      step(ctx, "metrics", () => forwardStep(ctx, "metrics", now())),
      step(ctx, "logs", () => forwardStep(ctx, "logs", now())),
      step(ctx, "backfill-metrics", () => backfillStep(ctx, "metrics", now())),
      step(ctx, "backfill-logs", () => backfillStep(ctx, "logs", now())),
      // Its own steps: a failed error query never holds back the REPORT rollups or the metrics.
      step(ctx, "errors", () => errorsForwardStep(ctx, now())),
      step(ctx, "backfill-errors", () => errorsBackfillStep(ctx, now())),
    ]);
    if (lease === null) return;
    await attempt(ctx.scope, "rollup", async () => {
      await rollUpStep(ctx, "metrics", now());
      await rollUpStep(ctx, "logs", now());
    });
  }

  /** Adopts the rows stored before accounts, once per start; false while it could not (the tick waits). */
  async function adoptLegacy(): Promise<boolean> {
    if (adopted || !opts.legacyAccount) return true;
    try {
      const account = await opts.legacyAccount();
      const n = await write((tx) => tx.adoptLegacyAccount(account));
      if (n > 0) log(`collector: ${n} rows stored before accounts adopted by account ${account}`);
      adopted = true;
      return true;
    } catch (e) {
      if (isLeaseLost(e)) leaseLost();
      else log(`collector: rows stored before accounts not adopted yet: ${toOutcomeError(e).message}`);
      return false;
    }
  }

  /** The generation of this collector's latest term of the lease (null: it never led). */
  let heldGeneration: number | null = null;

  async function tickOnce(): Promise<void> {
    let acquired: Lease | null;
    try {
      acquired = await leases.acquire(COLLECTOR_LEASE, opts.owner, now(), leaseMs);
    } catch (e) {
      // The store is unreachable: do nothing blind; the next tick tries again.
      log(`collector: cannot take the lease: ${toOutcomeError(e).message}`);
      lease = null;
      leader = false;
      return;
    }
    // A new generation: another collector may have led meanwhile, so the triggers' plans are made afresh.
    if (acquired && acquired.generation !== lease?.generation) {
      for (const ctx of contexts.values()) if (ctx.triggers) ctx.triggers.planCache.plan = null;
      // Each taking of the lease adds one to its generation: more than one since this collector's last term means
      // another one led in between. Then every account is tried afresh at once: what this collector knew of them is
      // older than that leader's view in the store, which its first try replaces (a failure continuing keeps its
      // start there). Its own lapsed term taken again keeps what it knew.
      if (heldGeneration !== null && acquired.generation !== heldGeneration + 1)
        for (const state of accounts.values())
          Object.assign(state, { error: null, refused: null, retryAt: 0, pauseMs: 0 });
      heldGeneration = acquired.generation;
    }
    lease = acquired;
    leader = lease !== null;
    if (lease === null) return;
    // A tick may outlast the lease (an Insights query runs minutes): renew it meanwhile, or another replica
    // would take it over from a live leader and everything this tick read from AWS would be refused.
    const heartbeat = setInterval(() => void renew(), Math.max(1_000, Math.floor(leaseMs / 3)));
    heartbeat.unref?.();
    try {
      if (!(await adoptLegacy())) return;
      // Every scope side by side: a slow or failing account never holds back another's steps.
      await Promise.all((await currentScopes()).map(region));
      await maintenance();
    } finally {
      clearInterval(heartbeat);
    }
    if (lease === null) return; // Lost during the tick: not a round.
    ticks++;
    lastTickAt = now();
  }

  /** Retention, once per tick for the whole store (every account's rows). */
  async function maintenance(): Promise<void> {
    const t = now();
    if (lease === null || (nextAt.get("maintenance") ?? 0) > t) return;
    const result = await attempt({ account: "" as AccountId, region: "*" }, "maintenance", () =>
      pruneStep(write, settings, now(), opts.store.errors !== undefined),
    );
    if (!result.done && result.lost) return;
    nextAt.set("maintenance", t + (result.done ? CADENCE.maintenance : (opts.retryPauseMs ?? 30_000)));
  }

  /** Renews the running tick's lease; a lease not renewed at the same generation is lost for this tick. */
  async function renew(): Promise<void> {
    const held = lease;
    if (held === null) return;
    try {
      const renewed = await leases.acquire(COLLECTOR_LEASE, opts.owner, now(), leaseMs);
      // Null: taken over. Another generation: it lapsed before this renewal, so writes under `held` are refused.
      if (lease === held && renewed?.generation !== held.generation) leaseLost();
    } catch (e) {
      // The next fenced write finds out for sure; the store may only be slow.
      log(`collector: cannot renew the lease: ${toOutcomeError(e).message}`);
    }
  }

  const tick = () => {
    running ??= tickOnce().finally(() => {
      running = null;
    });
    return running;
  };
  const background = () =>
    void tick().catch((e: unknown) => log(`collector: tick failed: ${toOutcomeError(e).message}`));

  return {
    start() {
      if (timer) return;
      background();
      // At least three tries per lease period, so a short lease (a team's fast failover) never lapses between
      // ticks of a live leader; a tick still running makes a try a no-op.
      timer = setInterval(background, Math.min(tickMs, Math.max(1_000, Math.floor(leaseMs / 3))));
      timer.unref?.();
    },
    tick,
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      const release = () =>
        leases.release(COLLECTOR_LEASE, opts.owner).catch((e: unknown) => {
          log(`collector: could not release the lease: ${toOutcomeError(e).message}`);
        });
      // Hand the lease over first, not after the tick (an Insights query runs minutes, longer than a container's
      // grace): with no lease the tick's remaining writes are refused here (writer.ts), and a write already under
      // way keeps the old generation, which a successor's takeover fences out.
      const held = lease;
      lease = null;
      leader = false;
      if (held) await release();
      const tick = running;
      if (!tick) return;
      // Wait for the tick a little only: its steps stop at their next check, its AWS calls are not cancelled.
      let waited: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        tick.catch(() => undefined),
        new Promise<void>((resolve) => (waited = setTimeout(resolve, STOP_WAIT_MS))),
      ]);
      clearTimeout(waited);
      // A renewal or acquisition in flight when the lease went may have taken it again: hand it over again.
      if (lease !== null || held) {
        lease = null;
        leader = false;
        await release();
      }
    },
    status: () => ({
      leader,
      ticks,
      lastTickAt,
      insights: Object.fromEntries([...schedulers].map(([id, scheduler]) => [id, scheduler.state()])),
      accounts: [...accounts].map(([account, a]) => ({ account, error: a.error })),
    }),
  };
}
