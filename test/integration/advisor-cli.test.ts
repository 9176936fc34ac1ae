/**
 * `npm run -s advise` (the documented way) against the sandbox with its Logs service failing: the run must not
 * pass (exit 3), its JSON must parse whole from stdout and say `ok: false` with every log-derived rule listed as
 * not judged for every function, and no flag may rest on the logs it could not read. With the fault cleared, the
 * same run is complete (exit 0, `ok: true`).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULE_EVIDENCE, type Flag, type RuleId, type Unjudged } from "@/lib/core/advisor";
import type { Sandbox } from "@fleetscope/sandbox";
import { startTestSandbox, TEST_NOW } from "@fleetscope/sandbox/testing/sandbox";

const root = path.resolve(__dirname, "../..");
const REGION = "us-east-1";
// An hour at the sandbox's pinned clock: quick, and enough traffic for every rule that reads logs.
const ARGS = ["--live", "--regions", REGION, "--days", "0.04", "--end", new Date(TEST_NOW).toISOString()];
const LOG_RULES = (Object.keys(RULE_EVIDENCE) as RuleId[]).filter((r) =>
  RULE_EVIDENCE[r].needs.includes("logs"),
);

interface Output {
  ok: boolean;
  regions: { region: string; ok: boolean; advised: boolean; notJudged: number }[];
  unjudged: Unjudged[];
  flags: Flag[];
}

let sandbox: Sandbox;

function advise(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "-s", "advise", "--", ...args], {
      cwd: root,
      env: {
        ...process.env,
        AWS_ENDPOINT_URL: sandbox.url,
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        FLEETSCOPE_REGIONS: REGION,
        FLEETSCOPE_DATABASE_URL: ":memory:",
        // Fail fast on the injected 5xx instead of backing off through the SDK's retries.
        FLEETSCOPE_AWS_MAX_ATTEMPTS: "1",
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function setFaults(config: object): Promise<void> {
  const r = await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", body: JSON.stringify(config) });
  expect(r.ok).toBe(true);
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ functionsPerRegion: 20, regions: [REGION] });
});

afterAll(async () => {
  await sandbox?.close();
});

describe("npm run -s advise with the Logs service failing", { timeout: 180_000 }, () => {
  it("exits 3 with JSON alone on stdout, ok false, and every log-derived rule listed as not judged", async () => {
    await setFaults({ logs: { errorRate: 1 } });
    const r = await advise([...ARGS, "--format", "json", "--fail-on", "critical"]);
    // Evidence incomplete wins over the critical flags the metrics still show.
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout) as Output;
    expect(out.ok).toBe(false);
    expect(out.regions).toEqual([expect.objectContaining({ region: REGION, ok: false, advised: true })]);
    expect(out.regions[0]?.notJudged).toBe(out.unjudged.length);

    const functions = [...new Set(out.unjudged.map((u) => u.functionName))];
    expect(functions).toHaveLength(20);
    for (const fn of ["legacy-sync", "image-resizer", "orders-api"])
      for (const ruleId of LOG_RULES) {
        const u = out.unjudged.find((x) => x.functionName === fn && x.ruleId === ruleId);
        expect(u, `${fn} ${ruleId}`).toMatchObject({ region: REGION, source: "logs", partly: false });
        expect(u?.reason).toMatch(/Logs Insights: .*ServiceUnavailableException/);
      }
    // Metric-only rules were judged: the throttled function is still flagged, at high confidence.
    expect(out.unjudged.some((u) => u.ruleId === "throttles" || u.ruleId === "errors")).toBe(false);
    expect(
      out.flags.find((f) => f.functionName === "webhook-ingest" && f.ruleId === "throttles"),
    ).toMatchObject({
      severity: "critical",
      confidence: { level: "high" },
    });
    // Nothing rests on the logs that failed: no log-derived flag at all, so none says "high".
    const fromLogs = out.flags.filter((f) => LOG_RULES.includes(f.ruleId));
    expect(fromLogs.map((f) => `${f.functionName} ${f.ruleId} ${f.confidence.level}`)).toEqual([]);
  });

  it("says in the table which rules were not judged, for which functions, and why", async () => {
    await setFaults({ logs: { errorRate: 1 } });
    const r = await advise([...ARGS, "--format", "table"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("Evidence incomplete (exit 3):");
    expect(r.stdout).toMatch(
      /us-east-1: not judged: rules memory-over-provisioned, .*cold-starts.* for 20 functions \(.* and 15 more\): Logs Insights: /,
    );
    expect(r.stdout).toMatch(/^ {4}evidence: /m);
  });

  it("is complete again once the logs answer: exit 0 and ok true", async () => {
    await setFaults({});
    const r = await advise([...ARGS, "--format", "json"]);
    expect(r.stderr).not.toMatch(/Error:/);
    const out = JSON.parse(r.stdout) as Output;
    expect(out.unjudged).toEqual([]);
    expect(out.ok).toBe(true);
    expect(r.code).toBe(0);
    expect(out.flags.some((f) => f.ruleId === "timeouts" && f.functionName === "legacy-sync")).toBe(true);
  });
});
