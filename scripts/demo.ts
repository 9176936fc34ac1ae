/**
 * `npm run demo`: the console against the embedded sandbox account, no AWS account needed.
 *
 * Starts the sandbox in this process (127.0.0.1, SANDBOX_PORT or 4566) and the console as a child process
 * (PORT or 3000) with AWS_ENDPOINT_URL pointing at the sandbox and FLEETSCOPE_REGIONS=us-east-1,eu-west-1.
 *
 * `--accounts N` (2-20): the sandbox simulates an organization of N accounts ("management", "member-1"…, each with
 * its own fleet) and the console discovers them through Organizations (FLEETSCOPE_ORGANIZATION_ROLE_NAME=fleetscope).
 * With 3 or more, the last account's `fleetscope` role refuses AssumeRole, so the demo shows a degraded account
 * next to the reachable ones. Without it: one account, no organization, exactly as before.
 *
 * Mode: `next dev` by default, because it is up in seconds and a demo is usually someone trying the project;
 * pages compile on first visit. `--prod` runs `next build` first (every time: a stale build would show stale
 * code) and then `next start`, which is what the browser tests use and what a deployment runs.
 * Ctrl-C (or SIGTERM) stops the console, then the sandbox.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { startSandbox, type SandboxAccountSpec } from "@fleetscope/sandbox";

const REGIONS = "us-east-1,eu-west-1";
const root = path.resolve(__dirname, "..");
const nextBin = path.join(root, "node_modules", ".bin", "next");

const port = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a TCP port`);
  return value;
};

/** `--accounts N` or `--accounts=N`: how many accounts to simulate, or null (the single-account demo). */
function accountCount(argv: readonly string[]): number | null {
  const i = argv.findIndex((a) => a === "--accounts" || a.startsWith("--accounts="));
  if (i < 0) return null;
  const flag = argv[i] ?? "";
  const raw = flag.includes("=") ? flag.slice("--accounts=".length) : argv[i + 1];
  const n = Number(raw);
  if (!/^\d+$/.test(raw ?? "") || n < 2 || n > 20)
    throw new Error(`--accounts takes a number of accounts from 2 to 20, got '${raw ?? ""}'`);
  return n;
}

/** The organization: "management" then "member-1"…; from 3 accounts on, the last one's fleetscope role denies. */
function organization(count: number): SandboxAccountSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    name: i === 0 ? "management" : `member-${i}`,
    ...(count >= 3 && i === count - 1
      ? { roles: [{ name: "fleetscope", deny: true }, { name: "OrganizationAccountAccessRole" }] }
      : {}),
  }));
}

function run(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(nextBin, args, { cwd: root, env, stdio: "inherit" });
}

async function main() {
  const prod = process.argv.includes("--prod");
  const count = accountCount(process.argv.slice(2));
  const accounts = count === null ? null : organization(count);
  const sandboxPort = port("SANDBOX_PORT", 4566);
  const consolePort = port("PORT", 3000);

  const sandbox = await startSandbox({
    port: sandboxPort,
    host: "127.0.0.1",
    regions: REGIONS.split(","),
    ...(accounts ? { accounts } : {}),
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ENDPOINT_URL: sandbox.url,
    FLEETSCOPE_REGIONS: REGIONS,
    // The sandbox simulates every invocation a Logs Insights query scans: a day of the demo fleet takes it
    // seconds, a week minutes. The Advisor page offers the longer windows; on AWS the default is 7 days.
    FLEETSCOPE_ADVISOR_DAYS: process.env.FLEETSCOPE_ADVISOR_DAYS ?? "1",
    NEXT_TELEMETRY_DISABLED: "1",
    // The sandbox's default credentials act in its management account, which lists the organization.
    ...(accounts ? { FLEETSCOPE_ORGANIZATION_ROLE_NAME: "fleetscope" } : {}),
  };

  let child: ChildProcess | null = null;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child?.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    await sandbox.close();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  if (prod) {
    console.log("demo: building the console (next build)…");
    const build = run(["build"], { ...env, NODE_ENV: "production" });
    const code = await new Promise<number | null>((r) => build.once("exit", r));
    if (code !== 0) {
      console.error(`demo: next build failed (exit ${code})`);
      return stop(1);
    }
  }

  child = run(
    prod
      ? ["start", "-p", String(consolePort), "-H", "127.0.0.1"]
      : ["dev", "-p", String(consolePort), "-H", "127.0.0.1"],
    prod ? { ...env, NODE_ENV: "production" } : env,
  );
  child.once("exit", (code) => {
    if (!stopping) {
      console.error(`demo: the console exited (${code ?? "signal"})`);
      void stop(code ?? 1);
    }
  });

  console.log(`
  Fleetscope demo (${prod ? "production build" : "next dev"})
    console   http://127.0.0.1:${consolePort}
    sandbox   ${sandbox.url}   (regions ${REGIONS}; Lambda@Edge replicas also in ${edgeOnlyRegions(sandbox)})
${accounts ? accountLines(sandbox, accounts) : ""}
  Try the AWS CLI against the sandbox:
    AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --endpoint-url ${sandbox.url} --region us-east-1 \\
      lambda list-aliases --function-name payments-api

  Ctrl-C stops both.
`);
}

/** The organization's accounts, one line each, the denying one said so. */
function accountLines(
  sandbox: Awaited<ReturnType<typeof startSandbox>>,
  specs: readonly SandboxAccountSpec[],
): string {
  const lines = specs.map((spec, i) => {
    const note =
      i === 0
        ? "the console's own credentials"
        : spec.roles?.some((r) => r.deny)
          ? "its fleetscope role denies AssumeRole: shown as unreachable"
          : "read through its fleetscope role";
    return `      ${sandbox.accounts[i]?.accountId ?? "?"}  ${spec.name}  (${note})`;
  });
  return `    accounts  ${specs.length}, found through Organizations (role fleetscope)\n${lines.join("\n")}\n`;
}

/** Regions outside the fleet's where edge-rewriter's replicas ran (sandbox/src/fleet/edge.ts). */
function edgeOnlyRegions(sandbox: Awaited<ReturnType<typeof startSandbox>>): string {
  const fleet = REGIONS.split(",");
  return (
    [...sandbox.account.regions.values()]
      .filter((r) => !fleet.includes(r.region) && (r.replicas?.size ?? 0) > 0)
      .map((r) => r.region)
      .join(", ") || "no other region"
  );
}

main().catch((e: unknown) => {
  console.error("demo:", e instanceof Error ? e.message : e);
  process.exit(1);
});
