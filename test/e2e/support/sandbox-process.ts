/**
 * The browser tests' sandbox runs in its own process (`npm run sandbox`), as in a real deployment: a long
 * simulation in the sandbox must not stall the test runner, the Chromium server or the console.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "../../..");

export interface RunningSandbox {
  url: string;
  /** The sandbox process's id (benchmarks read its CPU time). */
  pid: number | undefined;
  stop(): Promise<void>;
}

/** `extraArgs`: more `npm run sandbox` options, e.g. ["--functions", "5000"]. */
export async function startSandboxProcess(
  port: number,
  regions: string,
  seed = 7,
  extraArgs: readonly string[] = [],
): Promise<RunningSandbox> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(root, "sandbox/src/cli.ts"),
      "--port",
      String(port),
      "--seed",
      String(seed),
    ].concat(["--regions", regions], extraArgs),
    { cwd: root, stdio: ["ignore", "ignore", "inherit"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sandbox exited early (${child.exitCode})`);
    try {
      if ((await fetch(`${url}/_sandbox/health`)).ok) return { url, pid: child.pid, stop };
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`sandbox did not answer on ${url} within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
