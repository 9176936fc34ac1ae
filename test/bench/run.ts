/**
 * `npm run bench -- <name>` runs test/bench/<name>.ts (the console's) or sandbox/bench/<name>.ts (the sandbox
 * package's, listed as `sandbox/<name>`) in a child process. Each benchmark measures its own
 * baseline in the same run and ends by printing one JSON line: {"bench":"<name>", …figures}.
 * With no name it lists the benchmarks.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

const dir = path.dirname(new URL(import.meta.url).pathname);
const sandboxDir = path.resolve(dir, "../../sandbox/bench");
const benchesIn = (d: string, prefix: string) =>
  readdirSync(d)
    .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.startsWith("_"))
    .map((f) => prefix + f.replace(/\.ts$/, ""));
const available = [...benchesIn(dir, ""), ...benchesIn(sandboxDir, "sandbox/")].sort();

const name = process.argv[2];
if (!name) {
  console.log(`usage: npm run bench -- <name>\n\nbenchmarks:\n${available.map((n) => `  ${n}`).join("\n")}`);
  process.exit(0);
}
const file = name.startsWith("sandbox/")
  ? path.join(sandboxDir, `${name.slice("sandbox/".length)}.ts`)
  : path.join(dir, `${name}.ts`);
if (!existsSync(file)) {
  console.error(`unknown benchmark "${name}". Available: ${available.join(", ")}`);
  process.exit(2);
}
const result = spawnSync(process.execPath, ["--import", "tsx", file, ...process.argv.slice(3)], {
  stdio: "inherit",
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
});
process.exit(result.status ?? 1);
