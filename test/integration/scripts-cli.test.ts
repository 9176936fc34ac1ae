/**
 * `npm run collector` and `npm run advise` as processes, on bad input: a clear message, a non-zero exit, no stack
 * trace, and nothing started. AWS is a closed local port and the store is in memory, so nothing leaves the machine.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const tsx = path.join(root, "node_modules/.bin/tsx");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  script: "collector" | "advise",
  args: string[],
  env: Record<string, string> = {},
  /** SIGTERM this long after stdout first shows `text`. */
  stop?: { text: string; afterMs: number },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ["--conditions=react-server", `scripts/${script}.ts`, ...args], {
      cwd: root,
      env: {
        ...process.env,
        FLEETSCOPE_REGIONS: "us-east-1",
        FLEETSCOPE_DATABASE_URL: ":memory:",
        AWS_ENDPOINT_URL: "http://127.0.0.1:9",
        NODE_NO_WARNINGS: "1",
        ...env,
      },
    });
    let stdout = "";
    let stderr = "";
    let timer: ReturnType<typeof setTimeout> | null = null;
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (stop && !timer && stdout.includes(stop.text))
        timer = setTimeout(() => child.kill("SIGTERM"), stop.afterMs);
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const STACK = /^\s+at /m;

describe.concurrent("npm run collector", { timeout: 60_000 }, () => {
  it("refuses an unknown option with its usage and exit 2, before starting anything", async () => {
    const r = await run("collector", ["--bogus"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^unknown option --bogus\n\nUsage: npm run collector/);
    expect(r.stdout).not.toContain("collector running");
  });

  it("refuses a bad variable, naming it and its range, with exit 1 and no stack trace", async () => {
    const r = await run("collector", ["--once"], { FLEETSCOPE_COLLECTOR_BACKFILL_HOURS: "24h" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'FLEETSCOPE_COLLECTOR_BACKFILL_HOURS: must be a whole number from 1 to 336 (hours; 336 = 14 days), got "24h"',
    );
    expect(r.stderr).not.toMatch(STACK);
  });

  it("keeps collecting until it is stopped, then exits 0", async () => {
    // Its first round fails at once (AWS is a closed port); a process that then quit would end before the signal.
    const started = Date.now();
    const r = await run("collector", [], {}, { text: "collector running", afterMs: 5_000 });
    expect(r.stdout).toContain("collector running");
    expect(r.stderr).toContain("ECONNREFUSED");
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
    expect(r.code).toBe(0);
  });
});

describe.concurrent("npm run advise", { timeout: 60_000 }, () => {
  it("refuses --collect with --live with exit 2", async () => {
    const r = await run("advise", ["--collect", "--live"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--collect fills the store; --live bypasses it");
  });

  it("refuses an unknown option with exit 2", async () => {
    const r = await run("advise", ["--bogus", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option --bogus");
  });

  it("refuses a bad look-back with exit 2", async () => {
    const r = await run("advise", ["--days", "24h"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--days must be a plain decimal number in (0, 455], got "24h"');
  });

  it("reports a bad variable on its own, without usage text, with exit 2", async () => {
    const r = await run("advise", ["--days", "1"], { FLEETSCOPE_COLLECTOR_LAMBDA_RPS: "abc" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^Invalid environment:\n {2}FLEETSCOPE_COLLECTOR_LAMBDA_RPS: must be a number above 0/,
    );
    expect(r.stderr).not.toContain("Usage:");
    expect(r.stderr).not.toMatch(STACK);
  });
});
