/**
 * lib/data/health.ts on real stores: a store that answers (SQLite and PostgreSQL, with the leases this replica
 * and another one hold), a PostgreSQL whose pool is busy (reachable, flagged busy), one that refuses connections,
 * and one that accepts them and never answers — the probe gives up at its own bound, not the pool's, and no
 * answer carries the URL's password or the server's address.
 */
import { createServer, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { COLLECTOR_LEASE } from "@/lib/collector/collector";
import { replicaId } from "@/lib/config/replica";
import { probeStore, replicaHealth } from "@/lib/data/health";
import { PLAN_RUNNER_LEASE } from "@/lib/data/traffic/runner";
import { createStore } from "@/lib/store";
import { openDatabase } from "@/lib/store/database";
import { freePort } from "../support/postgres";
import { createPostgresDatabase, describeStores } from "../support/stores";

const PASSWORD = "never-shown-7c1e";
const NO_READING = { held: false, holder: null, generation: null };

describeStores("replica health", (fresh) => {
  it("a store that answers: reachable, its engine and a latency", async () => {
    const db = await fresh();
    const store = createStore(db);
    const health = await probeStore(() => store);
    expect(health).toMatchObject({ dialect: db.dialect, reachable: true });
    expect(health.error).toBeUndefined();
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("says which leases this replica holds, which another holds, and none once they lapse", async () => {
    const store = createStore(await fresh());
    const now = 1_000_000;
    await store.leases.acquire(COLLECTOR_LEASE, replicaId(), now, 30_000);
    await store.leases.acquire(PLAN_RUNNER_LEASE, "console-2:1:abcd", now, 30_000);

    const health = await replicaHealth(now + 1_000, () => store);
    expect(health.replica).toBe(replicaId());
    expect(health.store.reachable).toBe(true);
    expect(health.leases.collector).toEqual({ held: true, holder: replicaId(), generation: 1 });
    expect(health.leases.planRunner).toEqual({ held: false, holder: "console-2:1:abcd", generation: 1 });

    const lapsed = await replicaHealth(now + 30_000, () => store);
    expect(lapsed.leases).toEqual({ collector: NO_READING, planRunner: NO_READING });
  });
});

describe("a PostgreSQL store whose pool is busy", () => {
  it("every connection in use: reachable and busy, not unreachable, and no lease reading", async () => {
    const db = openDatabase(await createPostgresDatabase(), { poolSize: 1, connectTimeoutMs: 300 });
    try {
      const store = createStore(db);
      await store.ping(); // Migrated and connected: the one connection exists and is idle.
      let free!: () => void;
      const held = new Promise<void>((resolve) => (free = resolve));
      let taken!: () => void;
      const inUse = new Promise<void>((resolve) => (taken = resolve));
      // Another request holds the pool's only connection while the health check runs.
      const holding = db.kysely.connection().execute(async () => {
        taken();
        await held;
      });
      await inUse;
      try {
        const health = await replicaHealth(0, () => store);
        expect(health.store).toMatchObject({ dialect: "postgres", reachable: true, busy: true });
        expect(health.store.error).toBe("Throttled: The store is busy");
        expect(health.leases).toEqual({ collector: NO_READING, planRunner: NO_READING });
      } finally {
        free();
        await holding;
      }
      // Free again: an ordinary reading, no busy flag.
      const after = await probeStore(() => store);
      expect(after).toMatchObject({ reachable: true });
      expect(after.busy).toBeUndefined();
    } finally {
      await db.close();
    }
  });
});

describe("a PostgreSQL store that does not answer", () => {
  it("refusing connections: unreachable, no lease reading, and no password in the answer", async () => {
    const port = await freePort();
    const db = openDatabase(`postgres://fleetscope:${PASSWORD}@127.0.0.1:${port}/fleetscope`, {
      connectTimeoutMs: 1_000,
    });
    try {
      const health = await replicaHealth(0, () => createStore(db));
      expect(health.store).toMatchObject({ dialect: "postgres", reachable: false, latencyMs: null });
      // A code and a sentence: not the driver's "connect ECONNREFUSED 127.0.0.1:<port>".
      expect(health.store.error).toBe("Unavailable: The store (PostgreSQL) is unreachable");
      expect(health.leases).toEqual({ collector: NO_READING, planRunner: NO_READING });
      expect(JSON.stringify(health)).not.toContain(PASSWORD);
      expect(JSON.stringify(health)).not.toContain(String(port));
    } finally {
      await db.close();
    }
  });

  it("accepting connections and never answering: unreachable at the probe's own bound", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    // The pool would wait 20 s for the server's greeting; the probe must not.
    const db = openDatabase(`postgres://fleetscope:${PASSWORD}@127.0.0.1:${port}/fleetscope`, {
      connectTimeoutMs: 20_000,
    });
    try {
      const health = await probeStore(() => createStore(db), 300);
      expect(health).toMatchObject({ dialect: "postgres", reachable: false, latencyMs: null });
      expect(health.error).toBe("Timeout: The store did not answer SELECT 1 within 0.3 s");
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
      // Kysely's destroy waits for the pending first connect and rethrows its failure (the dropped sockets).
      await db.close().catch(() => undefined);
    }
  });
});
