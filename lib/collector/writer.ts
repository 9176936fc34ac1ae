/**
 * How the collector writes: every write goes through `Store.fenced` with the collector lease of the running tick,
 * so a collector that lost its lease (paused, partitioned, taken over) writes nothing (contracts: fencing).
 *
 * Invariants:
 * - The write callback sees only the repositories bound to its transaction (`tx`): it must not touch the store
 *   outside it (on SQLite that would wait for the connection the transaction holds), nor AWS (a transaction is
 *   held only as long as the writes take).
 * - No lease (not leader, or lost this tick): the write is refused with LeaseLost before anything is opened.
 */
import type { Store } from "@/lib/store";
import { FleetscopeError } from "@/lib/core/errors";
import type { Fence } from "@/lib/store/leases";

/** The repositories a collector write uses, bound to one fenced transaction. */
export type CollectorTx = Pick<
  Store,
  "telemetry" | "inventory" | "triggers" | "errors" | "collectorAccounts" | "adoptLegacyAccount"
>;

/** Runs `write` in one transaction fenced by the collector's lease; throws LeaseLost (writing nothing) if lost. */
export type FencedWrite = <T>(write: (tx: CollectorTx) => Promise<T>) => Promise<T>;

/** Writes fenced by whatever lease `fence()` returns at the time of the write (the collector's current one). */
export function fencedWriter(store: Pick<Store, "fenced">, fence: () => Fence | null): FencedWrite {
  return (write) => {
    const held = fence();
    if (!held)
      return Promise.reject(
        new FleetscopeError("LeaseLost", "The collector does not hold its lease: nothing written."),
      );
    return store.fenced(held, write);
  };
}

export const isLeaseLost = (e: unknown): boolean => e instanceof FleetscopeError && e.code === "LeaseLost";
