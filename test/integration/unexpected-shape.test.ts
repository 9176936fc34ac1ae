/**
 * Missing evidence never reads as zero (issue 11): "another AWS implementation" is a tiny HTTP server speaking
 * CloudWatch Logs' awsJson1_1 in front of the sandbox. It answers StartQuery / GetQueryResults itself — rows of an
 * unexpected shape, or an unknown-operation error — and proxies every other request (Lambda, CloudWatch,
 * FilterLogEvents) to the sandbox. The console's own adapters, collector and function use-case run against it over
 * HTTP, and the function page's REPORT panel must say "unavailable" with why, never 0.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createCollector } from "@/lib/collector/collector";
import { resetPublishers } from "@/lib/collector/region";
import { parseAccountId } from "@/lib/core/accounts";
import { isFleetscopeError } from "@/lib/core/errors";
import { collectorQuery } from "@/lib/core/query/collector-insights";
import { epochMs } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import type { TelemetryDeps } from "@/lib/data/telemetry/deps";
import { startFunctionTelemetry } from "@/lib/data/telemetry/function";
import { bucketForRange } from "@/lib/core/time/bucket";
import type { Sandbox } from "@fleetscope/sandbox";
import { openDatabase } from "@/lib/store/database";
import { createStore, type Store } from "@/lib/store";
import { TEST_NOW, startTestSandbox } from "@fleetscope/sandbox/testing/sandbox";
import { homeTarget, sandboxPorts } from "./advisor-ports";

const MINUTE = 60_000;
const REGION = "us-east-1";
/** The store keys rows by account: any 12-digit id serves the one account these tests read. */
const ACCOUNT = parseAccountId("123456789012");
const SCOPE = { account: ACCOUNT, region: REGION };

/**
 * - `drops-counts`: the aggregates every REPORT line has, but no `count(@initDuration)`, no `parse` counts (an
 *   implementation without count(field) or parse): the shape that used to read as 0 cold starts, 0 timeouts.
 * - `unaliased`: columns named by their expression (`count(*)`), as an engine ignoring `as` would.
 * - `unknown-operation`: StartQuery answered the way AWS answers an action it does not have.
 * - `bare-404`: StartQuery answered 404 with no AWS error code (an emulator without the route).
 */
type Mode = "drops-counts" | "unaliased" | "unknown-operation" | "bare-404";

interface Fake {
  url: string;
  mode: Mode;
  started: number;
  close(): Promise<void>;
}

const insightsTime = (t: number) => new Date(t).toISOString().replace("T", " ").replace("Z", "");

function rowsFor(mode: Mode, groups: readonly string[], startSec: number, endSec: number) {
  const rows: Record<string, string>[] = [];
  for (const g of groups)
    for (let t = Math.floor(startSec / 60) * MINUTE; t <= endSec * 1000; t += MINUTE) {
      const common = { "@log": `123456789012:${g}`, t: insightsTime(t) };
      rows.push(
        mode === "unaliased"
          ? { ...common, "count(*)": "3", "count(@initDuration)": "1", "sum(@billedDuration)": "300" }
          : {
              ...common,
              dk: "40",
              n: "3",
              billedSum: "300",
              memMax: "70000000",
              memSize: "128000000",
              durSum: "150",
              durMax: "80",
            },
      );
    }
  return rows;
}

async function startFake(target: string, mode: Mode): Promise<Fake> {
  const queries = new Map<string, Record<string, string>[]>();
  const fake: Fake = { url: "", mode, started: 0, close: async () => undefined };
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const op = String(req.headers["x-amz-target"] ?? "").replace(/^Logs_20140328\./, "");
      if (op === "StartQuery") {
        fake.started++;
        if (fake.mode === "unknown-operation")
          return json(res, 400, {
            __type: "UnknownOperationException",
            message: "Operation StartQuery is not supported.",
          });
        if (fake.mode === "bare-404") {
          res.writeHead(404);
          return res.end();
        }
        const q = JSON.parse(body.toString()) as {
          logGroupNames: string[];
          startTime: number;
          endTime: number;
        };
        const id = `fake-${queries.size + 1}`;
        queries.set(id, rowsFor(fake.mode, q.logGroupNames, q.startTime, q.endTime));
        return json(res, 200, { queryId: id });
      }
      if (op === "GetQueryResults") {
        const { queryId } = JSON.parse(body.toString()) as { queryId: string };
        const rows = queries.get(queryId) ?? [];
        return json(res, 200, {
          status: "Complete",
          results: rows.map((r) => Object.entries(r).map(([field, value]) => ({ field, value }))),
          statistics: {
            recordsMatched: rows.length * 3,
            recordsScanned: rows.length * 3,
            bytesScanned: 1000,
          },
        });
      }
      // Everything else is the sandbox's.
      const up = http.request(
        new URL(req.url ?? "/", target),
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      up.on("error", () => {
        res.writeHead(502);
        res.end();
      });
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}

const open: { sb?: Sandbox; fake?: Fake; stop?: () => Promise<void> } = {};

afterEach(async () => {
  await open.stop?.();
  await open.fake?.close();
  await open.sb?.close();
  Object.assign(open, { sb: undefined, fake: undefined, stop: undefined });
});

async function rig(mode: Mode) {
  resetPublishers();
  const clock = { t: TEST_NOW };
  const sb = await startTestSandbox({ regions: [REGION], now: () => clock.t });
  const fake = await startFake(sb.url, mode);
  Object.assign(open, { sb, fake });
  return { clock, fake, ports: sandboxPorts(fake.url, 1) };
}

/** Runs the collector against the fake until its logs step has failed (and the inventory is listed). */
async function collectAgainst(r: Awaited<ReturnType<typeof rig>>): Promise<Store> {
  const store = createStore(openDatabase(":memory:"));
  const collector = createCollector({
    scopes: () => [SCOPE],
    portsFor: (scope) => r.ports(scope.region),
    store,
    owner: "test",
    settings: { horizonMs: 20 * MINUTE },
    now: () => r.clock.t,
    retryPauseMs: 10,
    lambdaRequestsPerSecond: 10,
  });
  open.stop = () => collector.stop();
  for (let i = 0; i < 40; i++) {
    await collector.tick();
    const logsFailed = (await store.telemetry.events(50)).some(
      (e) => e.source.endsWith("logs") && e.level === "error",
    );
    if (logsFailed && (await store.inventory.functions(SCOPE)).length > 0) return store;
    r.clock.t += 20_000;
  }
  throw new Error("the collector's logs step never ran against the fake");
}

function deps(store: Store, r: Awaited<ReturnType<typeof rig>>): TelemetryDeps {
  const ports = r.ports(REGION);
  return {
    lambda: () => ports.lambda,
    cloudwatch: () => ports.cloudwatch,
    logs: () => ports.logs,
    store: () => store,
    liveCache: createCache({ ttlMs: 1, maxEntries: 10 }),
    settledCache: createCache({ ttlMs: 1, maxEntries: 10 }),
    now: () => epochMs(r.clock.t),
    insightsTimeoutMs: 5_000,
  };
}

/** The function page's panels for the last 30 minutes, for every listed function. */
async function functionPages(store: Store, r: Awaited<ReturnType<typeof rig>>) {
  const bucket = bucketForRange(
    { kind: "custom", from: epochMs(r.clock.t - 30 * MINUTE), to: epochMs(r.clock.t) },
    epochMs(r.clock.t),
  );
  return Promise.all(
    (await store.inventory.functions(SCOPE)).map(async ({ config }) => {
      const t = startFunctionTelemetry(
        { account: homeTarget(ACCOUNT), region: REGION, name: config.name, config, aliases: [], bucket },
        deps(store, r),
      );
      return { name: config.name, metrics: await t.metrics, logs: await t.logs, recent: await t.recent };
    }),
  );
}

describe("Logs Insights answering rows of an unexpected shape", () => {
  it.each(["drops-counts", "unaliased"] as const)(
    "%s: the collector stores no zeros and the function page says unavailable with why",
    async (mode) => {
      const r = await rig(mode);
      const store = await collectAgainst(r);
      const reason =
        mode === "drops-counts"
          ? "Logs Insights returned rows without the fields `cold`, `timeouts`, `ooms`"
          : "Logs Insights returned rows without the fields `n`, `cold`, `timeouts`, `ooms`, `restores` (and with `count(*)`";
      expect(r.fake.started).toBeGreaterThan(0);
      // Nothing was written for logs, and the minutes stay "not collected".
      expect(await store.telemetry.logRows(SCOPE, 60, 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
      expect(await store.telemetry.coverage(SCOPE, "logs", 60)).toBeNull();
      const failure = (await store.telemetry.events(50)).find(
        (e) => e.source.endsWith("logs") && e.level === "error",
      );
      expect(failure?.message).toContain(reason);

      const pages = await functionPages(store, r);
      expect(pages.length).toBe(40);
      for (const p of pages) {
        // The rest of the page works: metrics from the store, recent invocations live (through the proxy).
        expect(p.metrics.ok, `${p.name}: ${p.metrics.ok ? "" : p.metrics.error.message}`).toBe(true);
        expect(p.recent.ok, p.name).toBe(true);
        // The REPORT panel has no numbers at all, so it cannot show 0 cold starts / timeouts / OOM kills.
        if (p.logs.ok) throw new Error(`${p.name}: the REPORT panel showed numbers without evidence`);
        expect(p.logs.error.code).toBe("Unavailable");
        expect(p.logs.error.message).toContain("no REPORT lines collected for this range");
        expect(p.logs.error.message).toContain(reason);
      }
      // The contradiction is gone: a function whose recent invocations show a cold start is not "0".
      const coldRecently = pages.filter(
        (p) => p.recent.ok && p.recent.value.invocations.some((i) => i.coldStart),
      );
      expect(coldRecently.length).toBeGreaterThan(0);
    },
  );
});

describe("an endpoint that does not implement Logs Insights", () => {
  it.each([
    ["unknown-operation", "UnknownOperationException", "does not know this operation"],
    ["bare-404", "Unknown", "HTTP 404 without an AWS error code"],
  ] as const)(
    "%s: the adapter says Unsupported with the code and its meaning, not NotFound",
    async (mode, code, meaning) => {
      const r = await rig(mode);
      const logs = r.ports(REGION).logs;
      const window = { start: epochMs(TEST_NOW - 10 * MINUTE), end: epochMs(TEST_NOW - 5 * MINUTE) };
      let thrown: unknown;
      try {
        await logs.runInsights(collectorQuery("Text"), ["/aws/lambda/a", "/aws/lambda/b"], window, {
          timeoutMs: 10_000,
        });
      } catch (e) {
        thrown = e;
      }
      // Before: NotFound, so every group was "missing", dropped, and the answer was zero rows — zeros.
      expect(isFleetscopeError(thrown) && thrown.code).toBe("Unsupported");
      expect(isFleetscopeError(thrown) && thrown.details).toMatchObject({ awsCode: code });
      expect((thrown as Error).message).toContain(`Logs StartQuery: ${code}`);
      expect((thrown as Error).message).toContain(meaning);
      expect(r.fake.started).toBe(1);
    },
  );

  it("the function page's REPORT panel names the unsupported operation", async () => {
    const r = await rig("unknown-operation");
    const store = await collectAgainst(r);
    const [page] = await functionPages(store, r);
    if (!page || page.logs.ok) throw new Error("the REPORT panel showed numbers without evidence");
    expect(page.logs.error.message).toContain(
      "Unsupported: Logs StartQuery: UnknownOperationException: Operation StartQuery is not supported. — " +
        "the endpoint does not know this operation",
    );
    expect(await store.telemetry.coverage(SCOPE, "logs", 60)).toBeNull();
  });
});
