/**
 * The Advisor's `--live` path reads Logs Insights rows strictly (issue 11: missing evidence never reads as zero).
 * A small HTTP proxy stands in front of the sandbox as "another AWS implementation": every request goes to the
 * sandbox, and the answers of the advisor's two Insights queries (the per-group aggregation, the hourly timeouts)
 * are altered as such an implementation would answer them — a row without its counts, a value that is not a
 * number, an answer cut at its row limit. The console's own adapters and collection run against it over HTTP.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { advise, notJudgedFor, type AdvisorInput } from "@/lib/core/advisor";
import { epochMs } from "@/lib/core/units";
import { advisorWindow } from "@/lib/data/advisor";
import { collectRegionLive, type RegionCollection } from "@/lib/data/advisor/collect-live";
import { ADVISOR_REPORT_QUERY, DAILY_TIMEOUTS_QUERY } from "@/lib/core/query/advisor-report";
import type { Sandbox } from "@fleetscope/sandbox";
import { startTestSandbox, TEST_NOW } from "@fleetscope/sandbox/testing/sandbox";
import { sandboxPorts } from "./advisor-ports";

const REGION = "us-east-1";
// Over a day (30 h: a whole day and 6 h), so the hourly timeouts query runs; the first planted functions only.
const WINDOW = advisorWindow(TEST_NOW, 1.25);
const FUNCTIONS = 12;
/** Timed out in the window (the planted regular-timeouts function; report-generator does too). */
const TIMES_OUT = "legacy-sync";

type Row = Record<string, string>;
type Query = "report" | "daily";
/** Rewrites a completed answer's rows; `limit` is what StartQuery asked for. */
type Alter = (query: Query, rows: Row[], limit: number) => Row[];

const same: Alter = (_q, rows) => rows;
let alter: Alter = same;

const onGroup = (rows: Row[], name: string, change: (r: Row) => Row) =>
  rows.map((r) => (r["@log"]?.endsWith(`/aws/lambda/${name}`) ? change(r) : r));
const without = (r: Row, ...fields: string[]) =>
  Object.fromEntries(Object.entries(r).filter(([k]) => !fields.includes(k)));

let sandbox: Sandbox;
let proxy: http.Server;
let url: string;

function startProxy(target: string): Promise<http.Server> {
  const queries = new Map<string, { query: Query | null; limit: number }>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const op = String(req.headers["x-amz-target"] ?? "").replace(/^Logs_20140328\./, "");
      const sent = op === "StartQuery" || op === "GetQueryResults" ? JSON.parse(body.toString()) : null;
      const up = http.request(
        new URL(req.url ?? "/", target),
        { method: req.method, headers: req.headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on("data", (c: Buffer) => parts.push(c));
          answer.on("end", () => {
            let out = Buffer.concat(parts);
            if (answer.statusCode === 200 && op === "StartQuery") {
              const { queryString, limit } = sent as { queryString: string; limit: number };
              const query =
                queryString === ADVISOR_REPORT_QUERY
                  ? "report"
                  : queryString === DAILY_TIMEOUTS_QUERY
                    ? "daily"
                    : null;
              queries.set((JSON.parse(out.toString()) as { queryId: string }).queryId, { query, limit });
            }
            if (answer.statusCode === 200 && op === "GetQueryResults") {
              const q = queries.get((sent as { queryId: string }).queryId);
              const r = JSON.parse(out.toString()) as {
                status: string;
                results?: { field: string; value: string }[][];
              };
              if (q?.query && r.status === "Complete") {
                const rows = (r.results ?? []).map((cells) =>
                  Object.fromEntries(cells.map((c) => [c.field, c.value])),
                );
                r.results = alter(q.query, rows, q.limit).map((row) =>
                  Object.entries(row).map(([field, value]) => ({ field, value })),
                );
                out = Buffer.from(JSON.stringify(r));
              }
            }
            const headers = { ...answer.headers, "content-length": String(out.length) };
            res.writeHead(answer.statusCode ?? 502, headers);
            res.end(out);
          });
        },
      );
      up.on("error", () => {
        res.writeHead(502);
        res.end();
      });
      up.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ regions: [REGION], functionsPerRegion: FUNCTIONS });
  proxy = await startProxy(sandbox.url);
  url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await sandbox?.close();
});

beforeEach(() => {
  alter = same;
});

const collect = () => collectRegionLive(sandboxPorts(url)(REGION), WINDOW, { insightsDeadlineMs: 120_000 });
const of = (c: RegionCollection, name: string): AdvisorInput => {
  const i = c.inputs.find((x) => x.config.name === name);
  if (!i) throw new Error(`${name} not collected`);
  return i;
};
const timedOut = (c: RegionCollection) =>
  c.inputs.filter((i) => (i.observed.timeouts ?? 0) > 0).map((i) => i.config.name);

let baseline: RegionCollection;

describe("the live path against rows it can read", () => {
  it("reads the sandbox's rows whole: counts, days, no logs missing", async () => {
    baseline = await collect();
    expect(baseline.gaps).toEqual([]);
    const ls = of(baseline, TIMES_OUT);
    expect(ls.missing?.logs).toBeUndefined();
    expect(ls.observed.timeouts).toBeGreaterThan(0);
    expect(ls.observed.coldStarts.count).not.toBeNull();
    // Every day's timeouts read, adding up to the window's.
    expect(ls.observed.perDay.length).toBe(2);
    expect(ls.observed.perDay.reduce((a, d) => a + (d.timeouts ?? NaN), 0)).toBe(ls.observed.timeouts);
    expect(timedOut(baseline).length).toBeGreaterThan(1);
    expect(advise(ls, { now: epochMs(TEST_NOW) }).map((f) => f.ruleId)).toContain("timeouts");
  }, 180_000);
});

describe("an aggregation row of an unexpected shape", () => {
  it("leaves that function's logs missing with why, never 0 timeouts, OOM kills or cold starts", async () => {
    // An implementation without `parse` counts: the row lacks timeouts and ooms.
    alter = (q, rows) =>
      q === "report" ? onGroup(rows, TIMES_OUT, (r) => without(r, "timeouts", "ooms")) : rows;
    const c = await collect();
    const ls = of(c, TIMES_OUT);
    expect(ls.missing?.logs).toContain("Logs Insights returned rows without the fields `timeouts`, `ooms`");
    expect(ls.observed.timeouts).toBeNull();
    expect(ls.observed.outOfMemory).toBeNull();
    expect(ls.observed.coldStarts.count).toBeNull();
    expect(ls.observed.perDay.every((d) => d.timeouts === null)).toBe(true);
    expect(c.gaps.join("\n")).toContain("1 of");
    const unjudged = notJudgedFor(ls).filter((u) => u.source === "logs");
    expect(unjudged.map((u) => u.ruleId)).toEqual(expect.arrayContaining(["timeouts", "cold-starts"]));
    expect(advise(ls, { now: epochMs(TEST_NOW) }).map((f) => f.ruleId)).not.toContain("timeouts");
    // The other groups' rows were read: their logs are there, with their own counts.
    const other = of(c, "image-resizer");
    expect(other.missing?.logs).toBeUndefined();
    expect(other.observed.coldStarts.count).toBe(of(baseline, "image-resizer").observed.coldStarts.count);
  }, 180_000);

  it("leaves every function's logs missing when no row can be read", async () => {
    alter = (q, rows) => (q === "report" ? rows.map((r) => without(r, "tCold", "jCold")) : rows);
    const c = await collect();
    for (const i of c.inputs) {
      expect(i.missing?.logs, i.config.name).toContain("without the fields `tCold`, `jCold`");
      expect(i.observed.coldStarts.count, i.config.name).toBeNull();
      expect(i.observed.reportCount, i.config.name).toBeNull();
    }
  }, 180_000);
});

describe("the hourly timeouts", () => {
  it("are unknown for a group whose row cannot be read: its days are null and its logs missing", async () => {
    alter = (q, rows) =>
      q === "daily" ? onGroup(rows, TIMES_OUT, (r) => ({ ...r, timeouts: "n/a" })) : rows;
    const c = await collect();
    const ls = of(c, TIMES_OUT);
    expect(ls.observed.perDay.map((d) => d.timeouts)).toEqual([null, null]);
    expect(ls.missing?.logs).toBe(
      "timeouts per day unknown: Logs Insights returned the field `timeouts` with a value that is not a number",
    );
    expect(notJudgedFor(ls).map((u) => u.ruleId)).toContain("timeouts");
    // The other functions that timed out keep their days.
    const others = timedOut(baseline).filter((n) => n !== TIMES_OUT);
    expect(others.length).toBeGreaterThan(0);
    for (const name of others) {
      const i = of(c, name);
      expect(i.missing?.logs, name).toBeUndefined();
      expect(i.observed.perDay, name).toEqual(of(baseline, name).observed.perDay);
    }
  }, 180_000);

  it("are unknown for every group when an answer reached its row limit", async () => {
    // Readable rows of groups the fleet does not have, up to the limit: the answer may have been cut.
    alter = (q, rows, limit) =>
      q === "daily"
        ? [
            ...rows,
            ...Array.from({ length: Math.max(0, limit - rows.length) }, (_, k) => ({
              "@log": `123456789012:/aws/lambda/filler-${k}`,
              hour: "2026-11-22 13:00:00.000",
              timeouts: "1",
            })),
          ]
        : rows;
    const c = await collect();
    expect(c.gaps.join("\n")).toContain("daily timeouts): an answer reached its row limit");
    for (const name of timedOut(baseline)) {
      const i = of(c, name);
      expect(
        i.observed.perDay.every((d) => d.timeouts === null),
        name,
      ).toBe(true);
      expect(i.missing?.logs, name).toContain("row limit");
    }
    // Functions without timeouts were not in that query: their evidence is whole.
    expect(of(c, "image-resizer").missing?.logs).toBeUndefined();
  }, 180_000);
});
