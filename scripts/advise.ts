/**
 * `npm run advise -- --regions us-east-1 --format json|table --fail-on warning|critical`: the Advisor for
 * pipelines. Prints the same flags as the Advisor page and exits non-zero when one is at or above --fail-on
 * (codes in lib/data/advisor/cli.ts). AWS access is the console's: the SDK credential chain, AWS_ENDPOINT_URL.
 */
import { parseEnv } from "@/lib/config/env-schema";
import { isFleetscopeError } from "@/lib/core/errors";
import { advisorWindow, getFleetAdvice, defaultAdvisorDeps } from "@/lib/data/advisor";
import { exitCode, parseAdviseArgs, toJson, toTable, USAGE } from "@/lib/data/advisor/cli";
import { THRESHOLDS_VARIABLE } from "@/lib/data/advisor/thresholds-source";

async function main(): Promise<number> {
  let args;
  try {
    args = parseAdviseArgs(process.argv.slice(2), parseEnv(process.env).regions);
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.thresholdsFile !== null) process.env[THRESHOLDS_VARIABLE] = args.thresholdsFile;
  const deps = { ...defaultAdvisorDeps(), cache: null };
  try {
    deps.thresholds(); // a bad thresholds file is a usage error, reported before any AWS call
  } catch (e) {
    console.error(isFleetscopeError(e) ? e.message : String(e));
    return 2;
  }
  const advice = await getFleetAdvice(args.regions, advisorWindow(args.end ?? Date.now(), args.days), deps);
  console.log(args.format === "json" ? toJson(advice) : toTable(advice));
  return exitCode(advice, args.failOn);
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(3);
  },
);
