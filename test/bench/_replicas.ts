/**
 * Console replicas for the failover test and the replica benchmarks: N `next start` consoles on ONE store (a
 * PostgreSQL database), each behind its own counting proxy to the sandbox, so what each replica costs AWS is
 * counted apart. Lease holders are found the way a load balancer or an operator would: GET /api/health.
 */
import { startAwsCountingProxy, type AwsCountingProxy } from "./_aws-proxy";
import { startOwnConsole, type ConsoleHealth, type OwnConsole } from "../e2e/support/own-console";

export interface Replicas {
  consoles: OwnConsole[];
  /** proxies[i] is in front of consoles[i]. */
  proxies: AwsCountingProxy[];
  /** AWS requests of all replicas since their proxies' last reset. */
  totalRequests(): number;
  resetCounts(): void;
  close(): Promise<void>;
}

export interface ReplicaOptions {
  sandboxUrl: string;
  databaseUrl: string;
  name: string;
  count?: number;
  env?: Record<string, string>;
}

export async function startReplicas({
  sandboxUrl,
  databaseUrl,
  name,
  count = 2,
  env = {},
}: ReplicaOptions): Promise<Replicas> {
  const proxies: AwsCountingProxy[] = [];
  const consoles: OwnConsole[] = [];
  const close = async () => {
    await Promise.all(consoles.map((c) => c.close().catch(() => undefined)));
    await Promise.all(proxies.map((p) => p.close()));
  };
  try {
    for (let i = 0; i < count; i++) proxies.push(await startAwsCountingProxy(sandboxUrl));
    // Together, as a deployment starts them: the first to reach the database migrates it, the others wait.
    const started = await Promise.allSettled(
      proxies.map((p, i) => startOwnConsole({ endpoint: p.url, databaseUrl, name: `${name}-${i}`, env })),
    );
    for (const s of started) if (s.status === "fulfilled") consoles.push(s.value);
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  } catch (e) {
    await close();
    throw e;
  }
  return {
    consoles,
    proxies,
    totalRequests: () => proxies.reduce((a, p) => a + p.total(), 0),
    resetCounts: () => proxies.forEach((p) => p.reset()),
    close,
  };
}

export type LeaseName = keyof ConsoleHealth["leases"];

/** The health of a console, or null when it does not answer (killed, restarting). */
export const healthOrNull = (c: OwnConsole): Promise<ConsoleHealth | null> => c.health().catch(() => null);

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The index of the one replica whose health says it holds `lease` (waits until exactly one does). */
export async function leaseHolder(
  consoles: readonly OwnConsole[],
  lease: LeaseName,
  timeoutMs = 60_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const healths = await Promise.all(consoles.map(healthOrNull));
    const holders = healths.flatMap((h, i) => (h?.leases[lease].held ? [i] : []));
    if (holders.length === 1) return holders[0] as number;
    if (Date.now() > deadline)
      throw new Error(
        `no single holder of the ${lease} lease within ${timeoutMs} ms (holders: ${holders.join(", ") || "none"})`,
      );
    await sleep(200);
  }
}

/**
 * Milliseconds from `sinceMs` (epoch) until `c`'s health says it holds `lease`, polling every `everyMs` (the
 * resolution of the measurement). Throws after `timeoutMs`.
 */
export async function msUntilHeld(
  c: OwnConsole,
  lease: LeaseName,
  sinceMs: number,
  timeoutMs: number,
  everyMs = 50,
): Promise<{ ms: number; health: ConsoleHealth }> {
  for (;;) {
    const h = await healthOrNull(c);
    const now = Date.now();
    if (h?.leases[lease].held) return { ms: now - sinceMs, health: h };
    if (now - sinceMs > timeoutMs)
      throw new Error(`${c.url} did not take the ${lease} lease within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** p-th percentile (nearest rank) of `xs`; null for none. */
export function percentile(xs: readonly number[], p: number): number | null {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
