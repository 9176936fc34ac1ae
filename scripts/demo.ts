/**
 * `npm run demo`: the console against the embedded sandbox account, no AWS account needed.
 *
 * Starts the sandbox in this process (127.0.0.1, SANDBOX_PORT or 4566) and the console as a child process
 * (PORT or 3000) with AWS_ENDPOINT_URL pointing at the sandbox and FLEETSCOPE_REGIONS=us-east-1,eu-west-1.
 *
 * Mode: `next dev` by default, because it is up in seconds and a demo is usually someone trying the project;
 * pages compile on first visit. `--prod` runs `next build` first (every time: a stale build would show stale
 * code) and then `next start`, which is what the browser tests use and what a deployment runs.
 * Ctrl-C (or SIGTERM) stops the console, then the sandbox.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { startSandbox } from "@fleetscope/sandbox";

const REGIONS = "us-east-1,eu-west-1";
const root = path.resolve(__dirname, "..");
const nextBin = path.join(root, "node_modules", ".bin", "next");

const port = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a TCP port`);
  return value;
};

function run(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(nextBin, args, { cwd: root, env, stdio: "inherit" });
}

async function main() {
  const prod = process.argv.includes("--prod");
  const sandboxPort = port("SANDBOX_PORT", 4566);
  const consolePort = port("PORT", 3000);

  const sandbox = await startSandbox({ port: sandboxPort, host: "127.0.0.1", regions: REGIONS.split(",") });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ENDPOINT_URL: sandbox.url,
    FLEETSCOPE_REGIONS: REGIONS,
    // The sandbox simulates every invocation a Logs Insights query scans: a day of the demo fleet takes it
    // seconds, a week minutes. The Advisor page offers the longer windows; on AWS the default is 7 days.
    FLEETSCOPE_ADVISOR_DAYS: process.env.FLEETSCOPE_ADVISOR_DAYS ?? "1",
    NEXT_TELEMETRY_DISABLED: "1",
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

  Try the AWS CLI against the sandbox:
    AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --endpoint-url ${sandbox.url} --region us-east-1 \\
      lambda list-aliases --function-name payments-api

  Ctrl-C stops both.
`);
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
