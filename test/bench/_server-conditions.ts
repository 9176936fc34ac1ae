/**
 * Benchmarks that import server modules (`server-only`) must run under the `react-server` condition, as Next
 * runs them. `runUnderServerConditions(import.meta.url-less path, load)` re-launches the process with it when
 * missing, so `npm run bench -- <name>` works without flags.
 */
import { spawnSync } from "node:child_process";

export function runUnderServerConditions(file: string, load: () => Promise<unknown>): void {
  if (process.execArgv.some((a) => a.includes("react-server"))) {
    load().catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
    return;
  }
  const r = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", file, ...process.argv.slice(2)],
    {
      stdio: "inherit",
      env: process.env,
    },
  );
  process.exit(r.status ?? 1);
}
