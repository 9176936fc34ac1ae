/**
 * This replica's health, as a load balancer (GET /api/health) and the layout's store banner see it: does the
 * store answer, and does this replica hold the collector and plan-runner leases.
 *
 * Invariants:
 * - A store probe is one `SELECT 1` bounded by PROBE_TIMEOUT_MS, whatever the pool's connect timeout: a health
 *   check must answer before the load balancer gives up on it. It never throws: a failure is a reading.
 * - A busy store (every pooled connection in use: Throttled) is reachable, flagged `busy`: a load balancer must
 *   not eject a replica for being loaded.
 * - Readings are shared per process: `recentStoreHealth` (pages) is at most BANNER_CACHE_MS old,
 *   `currentReplicaHealth` (the unauthenticated endpoint) at most HEALTH_CACHE_MS, and concurrent callers share one
 *   probe in flight, so callers cannot multiply the store's queries. `replicaHealth` itself probes afresh.
 * - Nothing returned carries a secret or an address: `error` is a code and a short sentence ("Unavailable: The
 *   store (PostgreSQL) is unreachable"), never the driver's text (a host:port, a URL); the full text is logged
 *   once per change.
 * - Lease readings the store could not give are absent (holder and generation null), not invented.
 */
import "server-only";
import { COLLECTOR_LEASE } from "@/lib/collector/collector";
import { env } from "@/lib/config/env";
import { FleetscopeError, isFleetscopeError, type ErrorCode } from "@/lib/core/errors";
import { replicaId } from "@/lib/config/replica";
import type { DialectName } from "@/lib/store/database";
import { store, type Store } from "@/lib/store";
import type { Lease } from "@/lib/store/leases";
import { createCache } from "./cache";
import { PLAN_RUNNER_LEASE } from "./traffic/runner";

/** Load balancers commonly time a check out at 5 s; the probe answers well within that. */
export const PROBE_TIMEOUT_MS = 2000;
/** How stale the banner's reading may be: a few seconds of lag for no query per page view. */
export const BANNER_CACHE_MS = 5000;
/** How stale GET /api/health may be: callers hammering it cost the store one probe a second at most. */
export const HEALTH_CACHE_MS = 1000;

export interface StoreHealth {
  dialect: DialectName;
  reachable: boolean;
  /** Round trip of the probe; null when it did not come back. */
  latencyMs: number | null;
  /** Every connection of this replica's pool is in use: the store answers, this replica is loaded. */
  busy?: boolean;
  /** Why it is unreachable or busy: an error code and a short sentence, no address. */
  error?: string;
}

export interface LeaseHealth {
  /** This replica holds it now. */
  held: boolean;
  /** The replica that holds it (unexpired), or null: none does, or the store could not say. */
  holder: string | null;
  generation: number | null;
}

export interface ReplicaHealth {
  replica: string;
  store: StoreHealth;
  leases: { collector: LeaseHealth; planRunner: LeaseHealth };
}

/** The database URL's engine, read without opening the store. */
const configuredDialect = (): DialectName =>
  /^postgres(?:ql)?:\/\//.test(env().databaseUrl) ? "postgres" : "sqlite";

// A driver's message may quote a connection string; never its password (the log line too).
const maskPasswords = (text: string) => text.replace(/(\b[a-z][\w+.-]*:\/\/[^:/@\s]+):[^@\s]*@/gi, "$1:***@");

/**
 * What the answer says of a failure: the error's code and its message up to the first colon. The store's coded
 * messages put the driver's text (ECONNREFUSED 10.0.0.5:5432, a file path) after it; anything uncoded is only
 * named, never quoted.
 */
export function shortError(e: unknown): string {
  const code = storeErrorCode(e);
  if (code && e instanceof Error) return `${code}: ${e.message.split(": ")[0]}`;
  const sys = (e as { code?: unknown } | null)?.code;
  return `Unavailable: The store could not be opened or queried${typeof sys === "string" && /^[A-Z_]+$/.test(sys) ? ` (${sys})` : ""}`;
}

let lastLogged: string | null = null;
/** The full (masked) text for whoever runs the replica, once per change rather than once per health check. */
function logFailure(e: unknown): void {
  const text = maskPasswords(e instanceof Error ? e.message : String(e));
  if (text === lastLogged) return;
  lastLogged = text;
  console.warn(`[fleetscope] health: ${text}`);
}

/** The code of a coded error (also one made by another bundle's copy of lib/core/errors: see its BRAND). */
export const storeErrorCode = (e: unknown): ErrorCode | null => (isFleetscopeError(e) ? e.code : null);

const isBusy = (e: unknown) => storeErrorCode(e) === "Throttled";

function timeout(ms: number): { promise: Promise<never>; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new FleetscopeError("Timeout", `The store did not answer SELECT 1 within ${ms / 1000} s`)),
      ms,
    );
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * One probe of the store: `SELECT 1`, at most `timeoutMs`. `open` is the process's store (tests pass their own);
 * opening it is part of the probe, since a SQLite file that cannot be opened is a store that does not answer.
 */
export async function probeStore(
  open: () => Store = store,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<StoreHealth> {
  // What the URL names, until the store says: a store that fails to open still reports its engine.
  let dialect: DialectName = "sqlite";
  const limit = timeout(timeoutMs);
  // A latency is a duration, not a time of day: the monotonic clock, not the wall clock of lib/config/clock.
  const started = performance.now();
  try {
    dialect = configuredDialect();
    const s = open();
    dialect = s.db.dialect;
    await Promise.race([s.ping(), limit.promise]);
    lastLogged = null;
    return { dialect, reachable: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (e) {
    logFailure(e);
    // No connection came free in time: the store answers others; the probe's round trip did not happen.
    if (isBusy(e)) return { dialect, reachable: true, busy: true, latencyMs: null, error: shortError(e) };
    return { dialect, reachable: false, latencyMs: null, error: shortError(e) };
  } finally {
    limit.cancel();
  }
}

const bannerCache = createCache<StoreHealth>({ ttlMs: BANNER_CACHE_MS, maxEntries: 1 });

/** The store's reachability for page chrome: cached a few seconds per process, one probe in flight at most. */
export const recentStoreHealth = (): Promise<StoreHealth> => bannerCache.get("store", () => probeStore());

const NO_READING: LeaseHealth = { held: false, holder: null, generation: null };

const leaseHealth = (lease: Lease | null, me: string): LeaseHealth =>
  lease ? { held: lease.owner === me, holder: lease.owner, generation: lease.generation } : NO_READING;

/**
 * What GET /api/health answers: a fresh probe, and the two leases when the store answered (unexpired at `now`,
 * the caller's clock reading).
 */
export async function replicaHealth(now: number, open: () => Store = store): Promise<ReplicaHealth> {
  const me = replicaId();
  const health = await probeStore(open);
  if (!health.reachable || health.busy) {
    return { replica: me, store: health, leases: { collector: NO_READING, planRunner: NO_READING } };
  }
  try {
    const leases = open().leases;
    const [collector, planRunner] = await Promise.all([
      leases.holder(COLLECTOR_LEASE, now),
      leases.holder(PLAN_RUNNER_LEASE, now),
    ]);
    return {
      replica: me,
      store: health,
      leases: { collector: leaseHealth(collector, me), planRunner: leaseHealth(planRunner, me) },
    };
  } catch (e) {
    logFailure(e);
    // Busy since the probe: still reachable. Gone since the probe: report it down rather than guess.
    const reading: StoreHealth = isBusy(e)
      ? { ...health, busy: true, error: shortError(e) }
      : { dialect: health.dialect, reachable: false, latencyMs: null, error: shortError(e) };
    return { replica: me, store: reading, leases: { collector: NO_READING, planRunner: NO_READING } };
  }
}

const healthCache = createCache<ReplicaHealth>({ ttlMs: HEALTH_CACHE_MS, maxEntries: 1 });

/**
 * GET /api/health's reading of the process's store: at most HEALTH_CACHE_MS old, one probe in flight at most.
 * `now` reads the clock when a probe starts (the leases' expiry is judged then).
 */
export const currentReplicaHealth = (now: () => number): Promise<ReplicaHealth> =>
  healthCache.get("replica", () => replicaHealth(now()));
