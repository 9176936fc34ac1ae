/**
 * This process's identity among the console's replicas: the owner name its leases carry (collector, plan runner)
 * and what /api/health reports. Host and pid say where it runs; the random part keeps a restarted process (same
 * pid in a new container) from being mistaken for its predecessor.
 */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";

const holder = globalThis as typeof globalThis & { __fleetscopeReplicaId?: string };

export function replicaId(): string {
  holder.__fleetscopeReplicaId ??= `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  return holder.__fleetscopeReplicaId;
}
