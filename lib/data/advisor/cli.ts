/**
 * The `npm run advise` command's pure parts: argument parsing, the two output formats and the exit code, so the
 * script itself only wires them to getFleetAdvice. Exit codes (EXIT):
 * 0 every rule judged on whole evidence, no flag at or above --fail-on;
 * 1 a flag at or above --fail-on (evidence complete);
 * 2 bad usage (options, environment, thresholds file);
 * 3 evidence incomplete: an account-region could not be advised (a denied role, an unread region), a source
 *   failed or came back partial, the store covers less than the window, or some rule could not be judged for
 *   some function (listed). It wins over 1: a pipeline must not pass, nor read "all clear", on missing evidence.
 */
import { systemClock } from "@/lib/config/clock";
import { z } from "zod";
import type { Flag, Severity } from "@/lib/core/advisor";
import { evidenceLine } from "@/lib/core/advisor/evidence-text";
import { formatSpan } from "@/lib/core/format";
import { invalidInput } from "@/lib/core/errors";
import { isAccountId } from "@/lib/core/accounts";
import { isRegion } from "@/lib/core/regions";
import { microToUsd } from "@/lib/core/units";
import {
  adviceComplete,
  atOrAbove,
  awsRequestsOf,
  judgedLine,
  notJudgedLines,
  SEVERITIES,
  savingByAccount,
  savingIsLowerBound,
  scopeLabel,
  stake,
  totalMonthlySaving,
  type FleetAdvice,
} from "./summary";

export interface AdviseArgs {
  regions: string[];
  /** Account ids to advise; null: every account the console reads. */
  accounts: string[] | null;
  format: "json" | "table";
  failOn: Severity | null;
  days: number;
  thresholdsFile: string | null;
  /** Window end (epoch ms); null = now. Pins a report to a past moment, e.g. to compare two runs. */
  end: number | null;
  /** Evidence from the collector's store (default) or read live from AWS (`--live`). */
  source: "store" | "live";
  /** Run the collector first until the store covers the window (`--collect`), for at most this many seconds. */
  collect: { timeoutS: number } | null;
  help: boolean;
}

/** How long `--collect` waits by default: a small fleet's day fits; a longer one is judged partial. */
export const DEFAULT_COLLECT_TIMEOUT_S = 600;

export const USAGE = `Usage: npm run -s advise -- [options]     (-s: no npm banner on stdout, e.g. for JSON)
  --regions a,b            regions to advise (default: FLEETSCOPE_REGIONS, else us-east-1)
  --accounts id,id         accounts to advise, 12-digit ids (default: every account Fleetscope reads)
  --format json|table      output (default table)
  --fail-on warning|critical
                           exit 1 when a flag at or above this severity exists
  --days N                 look-back window in days (default 7; fractions allowed, e.g. 0.25 = 6 h)
  --thresholds FILE        JSON thresholds file (same as FLEETSCOPE_ADVISOR_THRESHOLDS)
  --end TIME               end of the window, in UTC: YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD (default now)

Evidence comes from the collector's store (FLEETSCOPE_DATABASE_URL): fast, no AWS request for it, judged on the
part of the window collected so far (the output says how much).
  --collect                first run the collector (backfilling up to the window) until the store covers it
  --collect-timeout S      stop collecting after S s, judge what is covered (default ${DEFAULT_COLLECT_TIMEOUT_S})
  --live                   read the evidence live from AWS instead (slow: Logs Insights over the whole window)

Exit codes: 0 all judged, nothing at --fail-on; 1 a flag at or above --fail-on; 2 bad usage; 3 evidence
incomplete (an account-region or source failed, the store covers less than the window, or rules not judged for some
functions: listed, and in JSON "ok": false with "unjudged"). 3 wins over 1.`;

/** The options that take a value; anything else is refused by name before a value is looked for. */
const VALUE_OPTIONS = new Set([
  "--regions",
  "--accounts",
  "--format",
  "--fail-on",
  "--days",
  "--thresholds",
  "--end",
  "--collect-timeout",
]);
// Number() also takes "0x10", "1e1" and " 7": a typo must not become a window.
const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;
// Date.parse reads "1" as 2001 and an offset-less time as local: only forms that name one UTC instant.
const END_FORMS = "YYYY-MM-DDTHH:MM:SSZ (fraction allowed) or YYYY-MM-DD, in UTC";
const isoEnd = z.union([z.iso.datetime(), z.iso.date()]);

export function parseAdviseArgs(
  argv: readonly string[],
  defaultRegions: readonly string[],
  now: () => number = systemClock.now,
): AdviseArgs {
  const args: AdviseArgs = {
    regions: [...defaultRegions],
    accounts: null,
    format: "table",
    failOn: null,
    days: 7,
    thresholdsFile: null,
    end: null,
    source: "store",
    collect: null,
    help: false,
  };
  let collectTimeoutS = DEFAULT_COLLECT_TIMEOUT_S;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] as string;
    if (raw === "--help" || raw === "-h") {
      args.help = true;
      continue;
    }
    if (raw === "--live" || raw === "--collect") {
      if (raw === "--live") args.source = "live";
      else args.collect = { timeoutS: collectTimeoutS };
      continue;
    }
    const eq = raw.indexOf("=");
    const name = eq > 0 ? raw.slice(0, eq) : raw;
    if (!VALUE_OPTIONS.has(name)) throw invalidInput(`unknown option ${name}`);
    const value = eq > 0 ? raw.slice(eq + 1) : argv[++i];
    // "--thresholds --collect" is a forgotten value, not a file named "--collect".
    if (value === undefined || value.startsWith("--")) throw invalidInput(`${name} needs a value`);
    switch (name) {
      case "--regions": {
        const regions = [
          ...new Set(
            value
              .split(",")
              .map((r) => r.trim())
              .filter(Boolean),
          ),
        ];
        const bad = regions.filter((r) => !isRegion(r));
        if (regions.length === 0 || bad.length > 0)
          throw invalidInput(`--regions: not AWS regions: ${bad.join(", ") || "(none)"}`);
        args.regions = regions;
        break;
      }
      case "--accounts": {
        const accounts = [...new Set(value.split(",").map((a) => a.trim()))].filter(Boolean);
        const bad = accounts.filter((a) => !isAccountId(a));
        if (accounts.length === 0 || bad.length > 0)
          throw invalidInput(
            `--accounts: not AWS account ids (12 digits): ${bad.map((a) => a.slice(0, 40)).join(", ") || "(none)"}`,
          );
        args.accounts = accounts;
        break;
      }
      case "--format":
        if (value !== "json" && value !== "table")
          throw invalidInput(`--format must be json or table, got "${value}"`);
        args.format = value;
        break;
      case "--fail-on":
        if (value !== "warning" && value !== "critical" && value !== "info")
          throw invalidInput(`--fail-on must be warning or critical, got "${value}"`);
        args.failOn = value;
        break;
      case "--days": {
        const days = PLAIN_DECIMAL.test(value) ? Number(value) : NaN;
        if (!(days > 0 && days <= 455))
          throw invalidInput(`--days must be a plain decimal number in (0, 455], got "${value}"`);
        args.days = days;
        break;
      }
      case "--end": {
        const end = isoEnd.safeParse(value).success ? Date.parse(value) : NaN;
        if (!Number.isFinite(end))
          throw invalidInput(`--end must be an ISO-8601 time ${END_FORMS}, got "${value}"`);
        const at = now();
        if (end > at)
          throw invalidInput(
            `--end must not be in the future: "${value}" is after now (${new Date(at).toISOString()})`,
          );
        args.end = end;
        break;
      }
      case "--thresholds":
        args.thresholdsFile = value;
        break;
      case "--collect-timeout": {
        const s = PLAIN_DECIMAL.test(value) ? Number(value) : NaN;
        if (!Number.isFinite(s) || s <= 0)
          throw invalidInput(
            `--collect-timeout must be a plain decimal number of seconds > 0, got "${value}"`,
          );
        collectTimeoutS = s;
        break;
      }
      default:
        throw invalidInput(`unknown option ${name}`);
    }
  }
  if (args.collect) args.collect = { timeoutS: collectTimeoutS };
  if (args.collect && args.source === "live")
    throw invalidInput("--collect fills the store; --live bypasses it");
  // The collector reads up to now: a window pinned in the past may lie beyond what it backfills.
  if (args.collect && args.end !== null) throw invalidInput("--collect collects up to now; leave out --end");
  return args;
}

export const EXIT = { clean: 0, failOn: 1, usage: 2, incomplete: 3 } as const;

/** 0, 1 (a flag at or above failOn) or 3 (evidence incomplete, which wins: see the header). */
export function exitCode(advice: FleetAdvice, failOn: Severity | null): number {
  if (!adviceComplete(advice)) return EXIT.incomplete;
  if (failOn !== null && advice.flags.some((f) => atOrAbove(f.severity, failOn))) return EXIT.failOn;
  return EXIT.clean;
}

/** "24 h ending 2026-12-07T01:45Z, a closed 15-minute boundary": what the window is, said once. */
export function windowLine(w: FleetAdvice["window"]): string {
  const end = new Date(w.end).toISOString();
  const boundary =
    w.end % 900_000 === 0 ? "a closed 15-minute boundary" : w.end % 60_000 === 0 ? "a closed minute" : "now";
  return `${formatSpan(w.end - w.start)}, ${new Date(w.start).toISOString()} → ${end} (ends at ${boundary})`;
}

const ruleName = (f: Flag) => (f.merged?.length ? `${f.ruleId} (+${f.merged.join(", ")})` : f.ruleId);

const usd = (micro: number) => `$${microToUsd(micro as never).toFixed(2)}`;

function money(f: Flag): string {
  const m = f.monthlyImpact;
  if (m.kind === "none" || m.amount === 0) return "-";
  const sign = m.kind === "saving" ? "save " : m.kind === "cost" ? "cost " : "risk ";
  return `${sign}${m.lowerBound ? "at least " : ""}${usd(stake(f))}`;
}

export function toJson(advice: FleetAdvice): string {
  const counts = Object.fromEntries(
    SEVERITIES.map((s) => [s, advice.flags.filter((f) => f.severity === s).length]),
  );
  return JSON.stringify(
    {
      // false: evidence incomplete (exit 3); `unjudged` lists every rule not judged, per function, with why.
      ok: adviceComplete(advice),
      window: {
        start: new Date(advice.window.start).toISOString(),
        end: new Date(advice.window.end).toISOString(),
        days: (advice.window.end - advice.window.start) / 86_400_000,
      },
      source: advice.source,
      awsRequests: awsRequestsOf(advice),
      regions: advice.regions.map(({ unjudged, ...r }) => ({
        ...r,
        notJudged: unjudged.length,
        ...(r.evidence ? { judgedOn: judgedLine(advice.window, r.evidence) } : {}),
      })),
      unjudged: advice.regions.flatMap((r) => r.unjudged),
      summary: {
        counts,
        totalMonthlySavingUsd: microToUsd(totalMonthlySaving(advice.flags)),
        // true: some saving rests on a cost that leaves parts out (each flag's monthlyImpact.missing).
        totalMonthlySavingLowerBound: savingIsLowerBound(advice.flags),
        byAccount: savingByAccount(advice.flags).map((a) => ({
          account: a.account,
          flags: a.flags,
          monthlySavingUsd: microToUsd(a.saving),
          monthlySavingLowerBound: a.lowerBound,
        })),
      },
      flags: advice.flags,
    },
    null,
    2,
  );
}

export function toTable(advice: FleetAdvice): string {
  const header = ["SEVERITY", "RULE", "ACCOUNT", "REGION", "FUNCTION", "MONTHLY", "CONFIDENCE", "FINDING"];
  const rows = advice.flags.map((f) => [
    f.severity,
    ruleName(f),
    f.account,
    f.region,
    `${f.functionName ?? "(account)"}${f.qualifier ? `:${f.qualifier}` : ""}`,
    money(f),
    f.confidence.level,
    f.title,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join("  ");
  const status = advice.regions.map((r) => {
    const judged = r.evidence ? judgedLine(advice.window, r.evidence) : null;
    return (
      `${scopeLabel(r)}${r.accountName ? ` (${r.accountName})` : ""}: ` +
      `${r.advised ? `${r.functions} functions` : `FAILED (${r.message})`}` +
      `${r.advised && r.message ? ` (${r.message})` : ""}${judged ? ` — ${judged}` : ""}`
    );
  });
  const unjudged = notJudgedLines(advice.regions.flatMap((r) => r.unjudged));
  const incomplete = adviceComplete(advice)
    ? []
    : ["", `Evidence incomplete (exit ${EXIT.incomplete}):`, ...unjudged.map((u) => `  ${u}`)];
  // Under each flag: its evidence, then its recommendation, indented so the table's columns stay readable.
  const detail = (f: Flag) => [`    evidence: ${evidenceLine(f)}`, `    do: ${f.recommendation.text}`];
  const requests = awsRequestsOf(advice);
  const source =
    advice.source === "live"
      ? "evidence read live from AWS"
      : `evidence from the collector's store; ${requests} AWS requests (published-version inventory)`;
  const counts = SEVERITIES.map((s) => `${advice.flags.filter((f) => f.severity === s).length} ${s}`).join(
    ", ",
  );
  return [
    `Fleetscope advisor — window ${windowLine(advice.window)}`,
    source,
    ...status,
    ...incomplete,
    "",
    ...(rows.length === 0
      ? ["No flags."]
      : [line(header), ...rows.flatMap((r, i) => [line(r), ...detail(advice.flags[i] as Flag)])]),
    "",
    `${advice.flags.length} flags (${counts}); potential savings ` +
      `${savingIsLowerBound(advice.flags) ? "at least " : ""}${usd(totalMonthlySaving(advice.flags))}/month`,
    ...perAccount(advice),
  ].join("\n");
}

/** "  111111111111: 4 flags, potential savings $12.00/month", one per account, when several were advised. */
function perAccount(advice: FleetAdvice): string[] {
  if (new Set(advice.regions.map((r) => r.account)).size < 2) return [];
  return savingByAccount(advice.flags).map(
    (a) =>
      `  ${a.account}: ${a.flags} flags, potential savings ${a.lowerBound ? "at least " : ""}${usd(a.saving)}/month`,
  );
}
