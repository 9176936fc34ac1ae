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

async function timed(
  url: string,
): Promise<{ ms: number; status: number; bytes: number; partial: boolean; coverage?: string }> {
  const t = performance.now();
  const res = await fetch(url);
  const body = await res.text();
  // The first "still collecting" line, as text (components/fleet/panel-status.tsx).
  const line = /data-testid="coverage"[^>]*>([^<]*(?:<!-- -->[^<]*)*)/.exec(body)?.[1];
  return {
    ms: Math.round(performance.now() - t),
    status: res.status,
    bytes: body.length,
    partial: line !== undefined,
    ...(line === undefined ? {} : { coverage: line.replaceAll("<!-- -->", "") }),
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
      // The 24 h range starts 24 h before now: once coverage reaches that far back, the page is whole.
      if (back >= 24 * HOUR) {
        dayAt = since();
        out.backfill24hDoneS = dayAt;
      }
    }
    db.close();
    if (dayAt !== null) {
      out.overview24h = await timed(`${app.url}/?range=24h`);
      // When the 24 h page first reads whole (no "still collecting" line), polled every 10 s for up to 10 min.
      for (let i = 0; i < 60; i++) {
        const page = await timed(`${app.url}/?range=24h`);
        if (!page.partial) {
          out.overview24hWholeS = since();
          out.overview24hWhole = page;
          break;
        }
        out.overview24hStillCollecting = page.coverage;
        await new Promise((r) => setTimeout(r, 10_000));
      }
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
