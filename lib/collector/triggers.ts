/**
 * Keeps the stored triggers fresh within the control-plane budget, the same shape as the inventory's details:
 * every `listEveryMs` one region-wide paged ListEventSourceMappings (every function's mappings at once), then per
 * function GetPolicy, GetFunctionUrlConfig, GetFunctionEventInvokeConfig and GetFunctionRecursionConfig — first
 * for functions never read or whose RevisionId changed (AddPermission and RemovePermission change it), then
 * parts that failed for a passing reason, then the oldest readings past `maxAgeMs` — as far as the budgets allow.
 *
 * Invariants:
 * - GetPolicy spends its own bucket (its own AWS quota, see budget.ts), the other three the shared control-plane
 *   budget; a function is read only when both hold its tokens, so neither quota is ever overdrawn by the
 *   per-function reads (the listing alone may overdraw the shared one, like the inventory's listing).
 * - The inventory goes first: while a function's details were never read or its RevisionId changed, the
 *   per-function reads leave the shared budget to the inventory (its details serve more views, and it finds the
 *   RevisionIds these readings are checked against). Only its aged re-reads share the budget with these. The
 *   deferral lasts at most MAX_INVENTORY_FIRST_MS at a stretch: details that keep failing (an IAM deny on one
 *   function) or a fleet that deploys all day must not stop the triggers from ever being read.
 * - Absence is a value: no policy (no push sources), no URL, no event invoke config are stored as such; only a
 *   failed call is an error, and it is stored next to the parts that loaded.
 * - A function deleted since the listing (its recursion config is NotFound) is not stored; the next listing
 *   drops it.
 * - With a plan cache, the due list is planned at most every PLAN_EVERY_MS and consumed tick by tick (planning
 *   parses every stored row: ~0.2 s at 5,000 functions, too much for every 5 s tick); a change is seen at the next
 *   plan, and RevisionIds only change at the inventory's listing anyway.
 * - Every write (the listing, dropped functions' readings, each function's reading) is its own fenced write.
 */
import type { FunctionMapping, LambdaFleetTriggersPort, LambdaTriggersPort } from "@/lib/aws/lambda";
import type { Scope } from "@/lib/core/accounts/scope";
import { mapWithConcurrency } from "@/lib/core/concurrency";
import { toOutcomeError, type ErrorCode, type Outcome, type OutcomeError, settle } from "@/lib/core/errors";
import { pushSourcesOf } from "@/lib/core/triggers/policy";
import type { InventoryEntry, InventoryStore } from "@/lib/store/inventory";
import {
  TRIGGER_PARTS,
  type TriggerPart,
  type TriggerParts,
  type TriggerReading,
  type TriggerStore,
} from "@/lib/store/triggers";
import type { Budget } from "./budget";
import type { FencedWrite } from "./writer";

export type TriggersPort = LambdaTriggersPort & LambdaFleetTriggersPort;

/** The real adapter implements the trigger calls; fakes of the older calls need not (and are skipped). */
export const readsTriggers = (port: object): port is TriggersPort =>
  "listAllEventSourceMappings" in port && "getPolicy" in port;

export interface TriggersOptions {
  /** The region-wide mapping listing, this often (the inventory's listing cadence). */
  listEveryMs: number;
  /** A reading older than this is read again, oldest first, after changed and never-read functions. */
  maxAgeMs: number;
  /** A part that failed for a passing reason is read again this long after its last try. */
  retryFailedAfterMs: number;
}

export interface TriggersRound {
  /** AWS requests this round (GetPolicy included). */
  requests: number;
  getPolicyRequests: number;
  listed: boolean;
  /** Functions whose parts were read this round (whole readings or retried parts). */
  read: number;
  /** Functions with something due after this round (never read, changed, a failed part, or too old). */
  pending: number;
  /** Why the region-wide listing failed this round (the per-function reads still ran), or null. */
  listingError: OutcomeError | null;
}

interface Plan {
  at: number;
  todo: Due[];
  /** The inventory's never-read or changed details go first (see the header). */
  inventoryFirst: boolean;
}

/** Where a long-lived caller (the collector, one per account-region) keeps the plan between rounds. */
export interface TriggerPlanCache {
  plan: Plan | null;
  /** Since when the inventory has had pending details without a break; null: none pending at the last plan. */
  inventoryPendingSince?: number | null;
}

export const createTriggerPlanCache = (): TriggerPlanCache => ({ plan: null, inventoryPendingSince: null });

/** The longest the triggers wait for the inventory's pending details, at a stretch. */
export const MAX_INVENTORY_FIRST_MS = 15 * 60_000;

/** How often the due list is planned again when a plan cache is given: the inventory step's cadence. */
export const PLAN_EVERY_MS = 30_000;

export interface TriggersTarget {
  /** The account-region read: every stored reading is keyed by it. */
  scope: Scope;
  port: TriggersPort;
  inventory: Pick<InventoryStore, "functions" | "account">;
  /** For reads only: writes go through `write`. */
  triggers: Pick<TriggerStore, "listedAt" | "listing" | "list">;
  /** Every write, fenced by the collector lease (writer.ts). */
  write: FencedWrite;
  /** The shared control-plane budget (URL, invoke config, recursion, the listing). */
  budget: Budget;
  /** GetPolicy's own. */
  policyBudget: Budget;
  /** Without one, every round plans afresh. */
  planCache?: TriggerPlanCache;
}

/** MaxItems of the region-wide listing: pages are counted from the number of mappings it returned. */
const LISTING_PAGE = 50;
/** Failures worth asking again before the reading's max age: the same call may succeed a little later. */
const PASSING: ReadonlySet<ErrorCode> = new Set(["Throttled", "Timeout", "Unavailable"]);
const listingRequests = (mappings: number) => Math.max(1, Math.ceil(mappings / LISTING_PAGE));

interface Due {
  entry: InventoryEntry;
  parts: TriggerPart[];
  /** Whole readings replace the row (new RevisionId and time); retried parts are merged into it. */
  whole: boolean;
  rank: number;
  since: number;
}

function dueOf(
  entry: InventoryEntry,
  reading: TriggerReading | undefined,
  now: number,
  o: TriggersOptions,
): Due | null {
  const whole = (rank: number, since: number): Due => ({
    entry,
    parts: [...TRIGGER_PARTS],
    whole: true,
    rank,
    since,
  });
  if (!reading || reading.revisionId !== entry.config.revisionId) return whole(0, reading?.readAt ?? 0);
  const triedAt = (p: TriggerPart) => reading.retriedAt[p] ?? reading.readAt;
  const failed = TRIGGER_PARTS.filter((p) => {
    const part = reading.parts[p];
    return !part.ok && PASSING.has(part.error.code) && now - triedAt(p) >= o.retryFailedAfterMs;
  });
  if (failed.length > 0)
    return { entry, parts: failed, whole: false, rank: 1, since: Math.min(...failed.map(triedAt)) };
  if (now - reading.readAt > o.maxAgeMs) return whole(2, reading.readAt);
  return null;
}

function readParts(port: TriggersPort, name: string, parts: readonly TriggerPart[]) {
  const load: { [P in TriggerPart]: () => Promise<Outcome<unknown>> } = {
    pushSources: () => settle(port.getPolicy(name).then(pushSourcesOf)),
    url: () => settle(port.getFunctionUrlConfig(name)),
    async: () => settle(port.getFunctionEventInvokeConfig(name)),
    recursion: () => settle(port.getFunctionRecursionConfig(name)),
  };
  return Promise.all(parts.map(async (p) => [p, await load[p]()] as const));
}

export async function refreshTriggers(
  t: TriggersTarget,
  now: number,
  options: TriggersOptions,
): Promise<TriggersRound> {
  const round: TriggersRound = {
    requests: 0,
    getPolicyRequests: 0,
    listed: false,
    read: 0,
    pending: 0,
    listingError: null,
  };
  // Nothing to read against until the inventory's first listing (it gives the names and RevisionIds).
  if ((await t.inventory.account(t.scope)) === null) return round;

  const listedAt = await t.triggers.listedAt(t.scope);
  if (listedAt === null || now - listedAt >= options.listEveryMs) {
    t.budget.take(listingRequests((await t.triggers.listing(t.scope))?.mappings.length ?? 0), now, true);
    let mappings: FunctionMapping[] | null = null;
    try {
      mappings = await t.port.listAllEventSourceMappings({ pageSize: LISTING_PAGE });
      round.requests += listingRequests(mappings.length);
    } catch (e) {
      // The per-function reads do not need the listing: do them, then report the failure.
      round.requests += 1;
      round.listingError = toOutcomeError(e);
    }
    // Outside the try: a failed write (a lost lease, the store down) fails the round; only AWS's failure is kept.
    if (mappings) {
      const listed = mappings;
      await t.write((tx) => tx.triggers.putListing(t.scope, listed, now));
      round.listed = true;
    }
  }

  const cached = t.planCache?.plan;
  const plan =
    cached && now - cached.at < PLAN_EVERY_MS ? cached : await planRound(t, now, options, t.planCache);
  if (t.planCache) t.planCache.plan = plan;
  const { todo, inventoryFirst } = plan;
  const batch: Due[] = [];
  for (const d of todo) {
    const policy = d.parts.includes("pushSources") ? 1 : 0;
    const shared = d.parts.length - policy;
    if (shared > 0 && (inventoryFirst || t.budget.available(now) < shared)) continue;
    // GetPolicy's bucket empty: functions that need no GetPolicy may still go.
    if (policy > 0 && !t.policyBudget.take(1, now)) continue;
    if (shared > 0) t.budget.take(shared, now);
    batch.push(d);
  }
  const taken = new Set(batch);
  plan.todo = todo.filter((d) => !taken.has(d));

  await mapWithConcurrency(batch, 3, async (d) => {
    const name = d.entry.config.name;
    round.requests += d.parts.length;
    if (d.parts.includes("pushSources")) round.getPolicyRequests++;
    const read = Object.fromEntries(await readParts(t.port, name, d.parts)) as Partial<TriggerParts>;
    const recursion = read.recursion;
    if (recursion && !recursion.ok && recursion.error.code === "NotFound") return;
    await t.write((tx) =>
      d.whole
        ? tx.triggers.put(t.scope, name, {
            parts: read as TriggerParts,
            revisionId: d.entry.config.revisionId,
            readAt: now,
            retriedAt: {},
          })
        : tx.triggers.putParts(t.scope, name, read, now),
    );
    round.read++;
  });
  round.pending = plan.todo.length + batch.length - round.read;
  return round;
}

/** Every function with something due, in reading order; readings of functions no longer listed are dropped. */
async function planRound(
  t: TriggersTarget,
  now: number,
  options: TriggersOptions,
  cache: TriggerPlanCache | undefined,
): Promise<Plan> {
  const entries = await t.inventory.functions(t.scope);
  const pending = entries.some((e) => e.details === null || e.detailsRevisionId !== e.config.revisionId);
  const since = pending ? (cache?.inventoryPendingSince ?? now) : null;
  if (cache) cache.inventoryPendingSince = since;
  const names = new Set(entries.map((e) => e.config.name));
  await t.write((tx) => tx.triggers.retain(t.scope, names));
  const readings = await t.triggers.list(t.scope);
  return {
    at: now,
    todo: entries
      .flatMap((e) => dueOf(e, readings.get(e.config.name), now, options) ?? [])
      .sort((a, b) => a.rank - b.rank || a.since - b.since),
    inventoryFirst: since !== null && now - since < MAX_INVENTORY_FIRST_MS,
  };
}
