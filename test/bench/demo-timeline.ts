/**
 * The demo's first minutes as a new user lives them: a fresh store, the sandbox (2 × 40 functions) and the built
 * console (`next start`, the embedded collector on), on this machine. Measures, from the moment the console answers:
 * - when the last hour is collected (metrics and logs, both regions) and how long `/?range=1h` then takes;
 * - when the 24 h backfill ends and how long `/?range=24h` and `/advisor` then take.
 * Baseline in the same run: the same pages with FLEETSCOPE_COLLECTOR=off would read AWS live; here the live path's
 * figure is the first `/?range=1h` request's time before anything is collected (the page then says "still
 * collecting" and costs AWS nothing).
 * Usage: npm run bench -- demo-timeline [maxMinutes]   (E2E_REUSE_BUILD=1 reuses an existing .next build)
 * Prints one JSON line: {"bench":"demo-timeline", …}.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildApp, startConsole } from "../e2e/support/next-server";
import { freePort } from "../e2e/support/ports";
import { startSandboxProcess } from "../e2e/support/sandbox-process";

const REGIONS = ["us-east-1", "eu-west-1"];
const HOUR = 3_600_000;
const maxMs = Number(process.argv[2] ?? 20) * 60_000;

async function timed(url: string): Promise<{ ms: number; status: number; bytes: number; partial: boolean }> {
  const t = performance.now();
  const res = await fetch(url);
  const body = await res.text();
  return {
    ms: Math.round(performance.now() - t),
    status: res.status,
    bytes: body.length,
    partial: body.includes('data-testid="coverage"'),
  };
}

function coveredBack(db: Database.Database, now: number): number {
  // The smallest covered span over regions and sources, back from now (0 when one has nothing yet).
  let min = Number.POSITIVE_INFINITY;
  for (const region of REGIONS)
    for (const source of ["metrics", "logs"]) {
      const row = db
        .prepare("SELECT from_ms FROM rollup_coverage WHERE region = ? AND source = ? AND res = 60")
        .get(region, source) as { from_ms: number } | undefined;
      min = Math.min(min, row ? now - row.from_ms : 0);
    }
  return min;
}

async function main() {
  await buildApp();
  const sandbox = await startSandboxProcess(await freePort(), REGIONS.join(","));
  const dataDir = mkdtempSync(path.join(tmpdir(), "fleetscope-demo-bench-"));
  const dbFile = path.join(dataDir, "fleetscope.db");
  const started = performance.now();
  const app = await startConsole(await freePort(), {
    FLEETSCOPE_DATABASE_URL: `file:${dbFile}`,
    FLEETSCOPE_LOGIN_TOKEN_FILE: path.join(dataDir, "login-token"),
    FLEETSCOPE_ADVISOR_DAYS: "1",
    AWS_ENDPOINT_URL: sandbox.url,
    FLEETSCOPE_REGIONS: REGIONS.join(","),
    AWS_ACCESS_KEY_ID: "",
    AWS_SECRET_ACCESS_KEY: "",
    AWS_PROFILE: "",
  });
  const since = () => Math.round((performance.now() - started) / 1000);
  const out: Record<string, unknown> = { bench: "demo-timeline", consoleReadyS: since() };
  try {
    out.firstOverviewBeforeCollection = await timed(`${app.url}/?range=1h`);
    const db = new Database(dbFile, { readonly: true, fileMustExist: false });
    let hourAt: number | null = null;
    let dayAt: number | null = null;
    const deadline = performance.now() + maxMs;
    while (performance.now() < deadline && dayAt === null) {
      await new Promise((r) => setTimeout(r, 2000));
      let back = 0;
      try {
        back = coveredBack(db, Date.now());
      } catch {
        continue; // The console has not created the schema yet.
      }
      if (hourAt === null && back >= HOUR) {
        hourAt = since();
        out.lastHourCollectedS = hourAt;
        out.overview1h = await timed(`${app.url}/?range=1h`);
      }
      if (back >= 23.9 * HOUR) {
        dayAt = since();
        out.backfill24hDoneS = dayAt;
      }
    }
    db.close();
    if (dayAt !== null) {
      out.overview24h = await timed(`${app.url}/?range=24h`);
      out.overview24hAgain = await timed(`${app.url}/?range=24h`);
      out.advisor = await timed(`${app.url}/advisor`);
      out.advisorAgain = await timed(`${app.url}/advisor`);
    } else out.note = `backfill not done within ${maxMs / 60_000} min`;
  } finally {
    await app.stop();
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(out));
}

void main();
