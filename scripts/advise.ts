/**
 * `npm run -s advise -- --regions us-east-1 --accounts 111111111111 --format json|table --fail-on warning|critical`:
 * the Advisor for pipelines. Prints the same flags as the Advisor page, each with its account, and exits
 * non-zero when one is at or above --fail-on or when evidence is incomplete (codes in lib/data/advisor/cli.ts).
 * Only the report goes to stdout; progress and notes go to stderr, so `--format json > out.json` is JSON alone
 * (with `npm run -s`: npm's banner is stdout). Evidence comes from the collector's store
 * (FLEETSCOPE_DATABASE_URL); `--collect` first runs the collector until the store covers the window, `--live`
 * reads AWS instead. AWS access is the console's: the SDK credential chain, AWS_ENDPOINT_URL, and each account's
 * role as configured (every account Fleetscope reads, or those `--accounts` names).
 */
import { readFileSync } from "node:fs";
import { collectorFromEnv } from "@/lib/data/collector/runtime";
import { parseEnv } from "@/lib/config/env-schema";
import { invalidInput, isFleetscopeError } from "@/lib/core/errors";
import type { TimeWindow } from "@/lib/core/time/range";
import { accountTargets, type AccountTarget } from "@/lib/data/accounts";
import { advisorScopes, advisorWindow, getFleetAdvice, defaultAdvisorDeps } from "@/lib/data/advisor";
import { exitCode, parseAdviseArgs, toJson, toTable, USAGE, type AdviseArgs } from "@/lib/data/advisor/cli";
import { collectUntilCovered, windowCovered } from "@/lib/data/advisor/collect-first";
import { resolveThresholds, THRESHOLDS_VARIABLE } from "@/lib/data/advisor/thresholds-source";
import { backfillHoursFor } from "@/lib/data/collector/cli";
import { store } from "@/lib/store";

/** Runs the collector until the store covers `window` (or the bound passes); progress goes to stderr. */
async function collectFirst(
  args: AdviseArgs,
  targets: readonly AccountTarget[],
  window: TimeWindow,
  timeoutS: number,
): Promise<void> {
  // The collector backfills to its horizon: stretch it to the window before the environment is first read
  // (env() keeps what it read first; nothing has called it yet).
  const backfill = backfillHoursFor(window.start, Date.now(), parseEnv(process.env).collector.backfillHours);
  if (backfill.note) console.error(`[advise --collect] ${backfill.note}`);
  process.env.FLEETSCOPE_COLLECTOR_BACKFILL_HOURS = String(backfill.hours);
  const collector = collectorFromEnv();
  try {
    const r = await collectUntilCovered({
      collector,
      covered: () =>
        windowCovered(
          store(),
          advisorScopes(targets, args.regions).map((s) => ({ account: s.target.id, region: s.region })),
          window,
          Date.now(),
        ),
      timeoutMs: timeoutS * 1000,
      log: (m) => console.error(`[advise --collect] ${m}`),
    });
    console.error(
      r.done
        ? `[advise --collect] the store covers the window (${r.progress})`
        : `[advise --collect] stopped after ${timeoutS} s at ${r.progress}: judging what is covered`,
    );
  } finally {
    await collector.stop();
  }
}

async function main(): Promise<number> {
  let regions;
  try {
    regions = parseEnv(process.env).regions;
  } catch (e) {
    // A bad environment is not a usage error: no usage text to bury the variable it names.
    console.error(isFleetscopeError(e) ? e.message : String(e));
    return 2;
  }
  let args;
  try {
    args = parseAdviseArgs(process.argv.slice(2), regions);
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.thresholdsFile !== null) process.env[THRESHOLDS_VARIABLE] = args.thresholdsFile;
  try {
    // A bad thresholds file is a usage error, reported before any AWS call or collecting.
    resolveThresholds(process.env, (p) => readFileSync(p, "utf8"));
  } catch (e) {
    console.error(isFleetscopeError(e) ? e.message : String(e));
    return 2;
  }
  let targets: AccountTarget[];
  try {
    targets = chosenTargets(await accountTargets(), args.accounts);
  } catch (e) {
    console.error(isFleetscopeError(e) ? e.message : String(e));
    return 2;
  }
  const window = advisorWindow(args.end ?? Date.now(), args.days);
  if (args.collect) await collectFirst(args, targets, window, args.collect.timeoutS);
  const deps = { ...defaultAdvisorDeps(), cache: null, source: args.source };
  const advice = await getFleetAdvice(advisorScopes(targets, args.regions), window, deps);
  if (args.format === "json" && npmBannerOnStdout())
    console.error("note: npm printed its banner on stdout; run `npm run -s advise -- …` for JSON alone");
  // Written whole before the exit, whatever stdout is (a pipe may be asynchronous).
  const text = (args.format === "json" ? toJson(advice) : toTable(advice)) + "\n";
  await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
  return exitCode(advice, args.failOn);
}

/** The accounts `--accounts` names (every account read when absent); one the console does not read is refused. */
function chosenTargets(targets: AccountTarget[], asked: string[] | null): AccountTarget[] {
  if (asked === null) return targets;
  const unknown = asked.filter((id) => !targets.some((t) => t.id === id));
  if (unknown.length > 0)
    throw invalidInput(
      `--accounts: not an account Fleetscope reads: ${unknown.join(", ")} ` +
        `(it reads ${targets.map((t) => t.id).join(", ") || "none"})`,
    );
  return targets.filter((t) => asked.includes(t.id));
}

/** Run by `npm run advise` without -s/--silent: npm has already written "> fleetscope@… advise" to stdout. */
const npmBannerOnStdout = () =>
  process.env.npm_lifecycle_event === "advise" && process.env.npm_config_loglevel !== "silent";

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(3);
  },
);
