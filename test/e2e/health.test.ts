/**
 * GET /api/health and the store-down pages, on consoles of the test's own (`next start` on the shared build):
 * - on SQLite (the default) and on a real PostgreSQL (test/support/postgres.ts): 200, the engine, and this one
 *   replica holding both leases (collector and plan runner) once their first ticks ran;
 * - on a PostgreSQL that is not there (a free port): 503 with the store unreachable and no password or address
 *   in the answer, while the fleet page still renders and says the store is unreachable instead of failing blank;
 * - concurrent calls share one reading (one probe per process, not one per caller);
 * - a clean stop (SIGTERM, with NEXT_MANUAL_SIG_HANDLE as the image sets it) hands both leases over at once.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { COLLECTOR_LEASE } from "@/lib/collector/collector";
import { PLAN_RUNNER_LEASE } from "@/lib/data/traffic/runner";
import { createStore } from "@/lib/store";
import { openDatabase } from "@/lib/store/database";
import { startPostgres, type TestPostgres } from "../support/postgres";
import { connectBrowser, type BrowserSession } from "./support/browser";
import { freePort } from "./support/ports";
import { startOwnConsole, type OwnConsole } from "./support/own-console";
import "./support/provided";

interface LeaseAnswer {
  held: boolean;
  holder: string | null;
  generation: number | null;
}

interface HealthAnswer {
  replica: string;
  store: { dialect: string; reachable: boolean; latencyMs: number | null; error?: string };
  leases: { collector: LeaseAnswer; planRunner: LeaseAnswer };
}

async function health(
  base: string,
): Promise<{ status: number; cacheControl: string | null; body: HealthAnswer }> {
  const res = await fetch(`${base}/api/health`);
  return {
    status: res.status,
    cacheControl: res.headers.get("cache-control"),
    body: (await res.json()) as HealthAnswer,
  };
}

/** Polls /api/health until this replica holds both leases (their loops take them on their first tick). */
async function healthWithBothLeases(base: string, ms = 90_000): Promise<HealthAnswer> {
  const deadline = Date.now() + ms;
  let last: HealthAnswer | null = null;
  for (;;) {
    last = (await health(base)).body;
    if (last.leases.collector.held && last.leases.planRunner.held) return last;
    if (Date.now() > deadline)
      throw new Error(`leases not both held within ${ms} ms: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** A GET with a Host header of our choosing (fetch does not let us set it). */
function getWithHost(base: string, path: string, host: string): Promise<number> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname: url.hostname, port: url.port, path: url.pathname, headers: { host } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** Lightest settings that still run the collector and the plan runner against the e2e sandbox. */
const QUIET = {
  FLEETSCOPE_COLLECTOR_BACKFILL_HOURS: "1",
  FLEETSCOPE_PLAN_TICK_SECONDS: "2",
  FLEETSCOPE_ADVISOR_DAYS: "1",
};

function expectHealthyReplica(h: HealthAnswer, dialect: "sqlite" | "postgres") {
  expect(h.store).toMatchObject({ dialect, reachable: true });
  expect(h.store.error).toBeUndefined();
  expect(typeof h.store.latencyMs).toBe("number");
  expect(h.replica).toMatch(/\S/);
  for (const lease of [h.leases.collector, h.leases.planRunner]) {
    expect(lease.held).toBe(true);
    expect(lease.holder).toBe(h.replica);
    expect(lease.generation).toBeGreaterThanOrEqual(1);
  }
}

describe("on SQLite (the one-process default)", () => {
  let app: OwnConsole;
  beforeAll(async () => {
    app = await startOwnConsole({ endpoint: inject("sandboxUrl"), name: "health-sqlite", env: QUIET });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("answers 200, never cached, and this replica holds the collector and plan-runner leases", async () => {
    const first = await health(app.url);
    expect(first.status).toBe(200);
    expect(first.cacheControl).toContain("no-store");
    expectHealthyReplica(await healthWithBothLeases(app.url), "sqlite");
  });

  it("answers a load balancer that addresses the replica by another name, and only that route", async () => {
    // FLEETSCOPE_PUBLIC_URL unset: names other than localhost and IPs are refused (DNS rebinding)…
    expect(await getWithHost(app.url, "/advisor", "console-1.internal:3000")).toBe(403);
    // …except on the health check, which load balancers and container runtimes call by their own name.
    expect(await getWithHost(app.url, "/api/health", "console-1.internal:3000")).toBe(200);
  });
});

describe("on a PostgreSQL that is not running", () => {
  const PASSWORD = "not-to-be-shown-9f3a";
  let app: OwnConsole;
  let session: BrowserSession;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    app = await startOwnConsole({
      endpoint: inject("sandboxUrl"),
      name: "health-pg-down",
      env: {
        ...QUIET,
        FLEETSCOPE_DATABASE_URL: `postgres://fleetscope:${PASSWORD}@127.0.0.1:${port}/fleetscope`,
        FLEETSCOPE_DATABASE_CONNECT_TIMEOUT_MS: "1000",
      },
    });
    session = await connectBrowser(app.url);
  });
  afterAll(async () => {
    await session?.close();
    await app?.close();
  });

  it("answers 503: the store unreachable, no lease held, no password in the answer", async () => {
    const res = await fetch(`${app.url}/api/health`);
    const text = await res.text();
    expect(res.status).toBe(503);
    expect(text).not.toContain(PASSWORD);
    const h = JSON.parse(text) as HealthAnswer;
    expect(h.store).toMatchObject({ dialect: "postgres", reachable: false, latencyMs: null });
    // A code and a sentence, not the driver's "connect ECONNREFUSED 127.0.0.1:<port>".
    expect(h.store.error).toBe("Unavailable: The store (PostgreSQL) is unreachable");
    expect(text).not.toContain(`:${port}`);
    expect(h.leases.collector).toEqual({ held: false, holder: null, generation: null });
    expect(h.leases.planRunner).toEqual({ held: false, holder: null, generation: null });
  });

  it("renders the fleet page with the store-unreachable message, not a blank error page", async () => {
    const page = await session.open("/");
    const banner = page.getByText("The store is unreachable", { exact: false }).first();
    await banner.waitFor({ timeout: 30_000 });
    // The console's own chrome is there (the header), so this is not Next's bare error document.
    await expect(page.getByRole("link", { name: "Fleetscope" }).first().isVisible()).resolves.toBe(true);
    const text = (await page.locator("body").textContent()) ?? "";
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain("Application error");
    await page.close();
  });
});

describe("on PostgreSQL", () => {
  let postgres: TestPostgres;
  let app: OwnConsole;
  let databaseUrl: string;
  beforeAll(async () => {
    postgres = await startPostgres();
    databaseUrl = await postgres.createDatabase();
    app = await startOwnConsole({
      endpoint: inject("sandboxUrl"),
      name: "health-pg",
      // As the image runs it: `next start` leaves SIGTERM to the console, which hands its leases over.
      env: { ...QUIET, FLEETSCOPE_DATABASE_URL: databaseUrl, NEXT_MANUAL_SIG_HANDLE: "true" },
    });
  });
  afterAll(async () => {
    await app?.close();
    await postgres?.stop();
  });

  it("answers 200 with dialect postgres, and this replica holds both leases", async () => {
    expect((await health(app.url)).status).toBe(200);
    expectHealthyReplica(await healthWithBothLeases(app.url), "postgres");
  });

  it("answers concurrent callers from one reading of the store", async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => health(app.url)));
    // One probe shared by all: the same measured round trip, to the tenth of a millisecond.
    expect(new Set(answers.map((a) => a.body.store.latencyMs)).size).toBe(1);
    expect(answers.every((a) => a.status === 200)).toBe(true);
  });

  it("a clean stop (SIGTERM) hands both leases over at once, not after a lease period", async () => {
    await healthWithBothLeases(app.url);
    await app.stop("SIGTERM");
    const db = openDatabase(databaseUrl);
    try {
      const leases = createStore(db).leases;
      // FLEETSCOPE_LEASE_SECONDS is 30: a lapse would leave a holder for that long; a release leaves none.
      expect(await leases.holder(COLLECTOR_LEASE, Date.now())).toBeNull();
      expect(await leases.holder(PLAN_RUNNER_LEASE, Date.now())).toBeNull();
    } finally {
      await db.close();
    }
  });
});
