/**
 * Keeps the stored Lambda inventory fresh within the control-plane budget: a full listing (ListFunctions with
 * every published version, 50 a page, and GetAccountSettings) every `listEveryMs`, then per-function details — aliases, reserved and
 * provisioned concurrency — for the functions whose RevisionId changed or that were never read first, then the
 * oldest, as far as the budget allows. No per-function call where the listing serves.
 * Writes go through `write` (fenced by the collector lease): the listing (configs, retained names, account
 * settings) in one transaction, then each function's details in its own, so details read before a failure stay.
 */
import type { LambdaPort } from "@/lib/aws/lambda";
import type { Scope } from "@/lib/core/accounts/scope";
import { mapWithConcurrency } from "@/lib/core/concurrency";
import { isFleetscopeError } from "@/lib/core/errors";
import type { Alias, ProvisionedConcurrency } from "@/lib/core/lambda/types";
import type { InventoryEntry, InventoryStore } from "@/lib/store/inventory";
import type { Budget } from "./budget";
import type { FencedWrite } from "./writer";

/** ListAliases, GetFunctionConcurrency, ListProvisionedConcurrencyConfigs. */
const DETAIL_REQUESTS = 3;

export interface InventoryOptions {
  listEveryMs: number;
  detailsMaxAgeMs: number;
}

export interface InventoryRound {
  requests: number;
  listed: boolean;
  detailsRead: number;
  /** Functions whose details are missing or stale after this round. */
  detailsPending: number;
}

function detailsOrder(entries: readonly InventoryEntry[], now: number, maxAge: number): InventoryEntry[] {
  const stale = (e: InventoryEntry) =>
    e.details === null || e.detailsRevisionId !== e.config.revisionId
      ? 0
      : now - (e.detailsReadAt ?? 0) > maxAge
        ? 1
        : 2;
  return entries
    .filter((e) => stale(e) < 2)
    .sort((a, b) => stale(a) - stale(b) || (a.detailsReadAt ?? 0) - (b.detailsReadAt ?? 0));
}

/** `lambda` reaches `scope` (its account's credentials, its region). */
export async function refreshInventory(
  lambda: LambdaPort,
  scope: Scope,
  inventory: InventoryStore,
  budget: Budget,
  now: number,
  options: InventoryOptions,
  write: FencedWrite,
): Promise<InventoryRound> {
  const round: InventoryRound = { requests: 0, listed: false, detailsRead: 0, detailsPending: 0 };
  const account = await inventory.account(scope);
  if (!account || now - account.listedAt >= options.listEveryMs) {
    const stored = (await inventory.functions(scope)).reduce((n, e) => n + 1 + e.publishedVersions.length, 0);
    budget.take(Math.ceil(Math.max(stored, 1) / 50) + 1, now, true);
    // FunctionVersion=ALL: published versions come with the same pages (the version counts, and each version's
    // runtime), instead of one ListVersionsByFunction per function.
    const [functions, settings] = await Promise.all([
      lambda.listFunctions({ allVersions: true }),
      lambda.getAccountSettings(),
    ]);
    round.requests += Math.ceil(Math.max(functions.length, 1) / 50) + 1;
    await write(async (tx) => {
      await tx.inventory.putConfigs(scope, functions, now);
      await tx.inventory.retain(scope, new Set(functions.map((f) => f.name)));
      await tx.inventory.putAccount(scope, settings, now);
    });
    round.listed = true;
  }
  const todo = detailsOrder(await inventory.functions(scope), now, options.detailsMaxAgeMs);
  const batch: InventoryEntry[] = [];
  for (const e of todo) {
    if (!budget.take(DETAIL_REQUESTS, now)) break;
    batch.push(e);
  }
  await mapWithConcurrency(batch, 3, async (e) => {
    const name = e.config.name;
    round.requests += DETAIL_REQUESTS;
    let details: [Alias[], number | null, ProvisionedConcurrency[]];
    try {
      details = await Promise.all([
        lambda.listAliases(name),
        lambda.getReservedConcurrency(name),
        lambda.listProvisionedConcurrency(name),
      ]);
    } catch (err) {
      // Deleted since the listing: the next listing drops it.
      if (isFleetscopeError(err) && err.code === "NotFound") return;
      throw err;
    }
    const [aliases, reservedConcurrency, provisioned] = details;
    await write((tx) =>
      tx.inventory.putDetails(
        scope,
        name,
        { aliases, reservedConcurrency, provisioned },
        e.config.revisionId,
        now,
      ),
    );
    round.detailsRead++;
  });
  round.detailsPending = todo.length - round.detailsRead;
  return round;
}
