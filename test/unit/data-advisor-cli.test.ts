import { describe, expect, it } from "vitest";
import type { Flag } from "@/lib/core/advisor";
import { isFleetscopeError } from "@/lib/core/errors";
import { epochMs, microUsd } from "@/lib/core/units";

import { exitCode, parseAdviseArgs, toJson, toTable, windowLine } from "@/lib/data/advisor/cli";
import {
  groupFlags,
  notJudgedLines,
  savingByAccount,
  sortFlags,
  totalMonthlySaving,
  type FleetAdvice,
  type FleetFlag,
  type FleetUnjudged,
} from "@/lib/data/advisor/summary";
import { resolveThresholds } from "@/lib/data/advisor/thresholds-source";

const window = { start: epochMs(Date.UTC(2026, 10, 16)), end: epochMs(Date.UTC(2026, 10, 23)) };
const ACCOUNT = "111111111111";
const mk = (over: Partial<FleetFlag>): FleetFlag => ({
  account: ACCOUNT,
  ruleId: "errors",
  functionName: "fn",
  region: "us-east-1",
  severity: "warning",
  title: "t",
  evidence: { window, numbers: {}, invocationsSeen: 100 },
  confidence: { level: "high", why: "" },
  recommendation: { text: "", action: { kind: "investigate" } },
  monthlyImpact: { amount: microUsd(0), kind: "none", basis: "" },
  ...over,
});
const saving = (usd: number): Flag["monthlyImpact"] => ({
  amount: microUsd(usd * 1e6),
  kind: "saving",
  basis: "",
});
const advice = (flags: FleetFlag[], ok = true, unjudged: FleetUnjudged[] = []): FleetAdvice => ({
  window,
  generatedAt: 0,
  source: "live",
  regions: [
    {
      account: ACCOUNT,
      accountName: null,
      region: "us-east-1",
      ok: ok && unjudged.length === 0,
      advised: ok,
      message: ok ? null : "throttled",
      functions: 3,
      unjudged,
    },
  ],
  flags,
});
const logsFailed = (functionName: string, ruleId: FleetUnjudged["ruleId"]): FleetUnjudged => ({
  account: ACCOUNT,
  region: "us-east-1",
  functionName,
  ruleId,
  source: "logs",
  reason: "Logs Insights: ServiceUnavailableException",
  partly: false,
});

describe("parseAdviseArgs", () => {
  it("reads the documented options in both spellings", () => {
    expect(
      parseAdviseArgs(
        ["--regions", "us-east-1,eu-west-1", "--format=json", "--fail-on", "critical", "--days", "0.25"],
        ["us-west-2"],
      ),
    ).toMatchObject({ regions: ["us-east-1", "eu-west-1"], format: "json", failOn: "critical", days: 0.25 });
    expect(parseAdviseArgs([], ["us-west-2"])).toMatchObject({
      regions: ["us-west-2"],
      format: "table",
      failOn: null,
      days: 7,
      end: null,
    });
    expect(parseAdviseArgs(["--end", "2026-11-23T12:00:00Z"], [], () => Date.UTC(2026, 11, 6)).end).toBe(
      Date.UTC(2026, 10, 23, 12),
    );
  });

  it("reads from the store by default; --live reads AWS, --collect fills the store first (bounded)", () => {
    expect(parseAdviseArgs([], [])).toMatchObject({ source: "store", collect: null });
    expect(parseAdviseArgs(["--live"], [])).toMatchObject({ source: "live", collect: null });
    expect(parseAdviseArgs(["--collect"], [])).toMatchObject({ source: "store", collect: { timeoutS: 600 } });
    expect(parseAdviseArgs(["--collect-timeout", "90", "--collect"], []).collect).toEqual({ timeoutS: 90 });
  });

  it.each([
    [["--collect", "--live"]],
    [["--collect", "--end", "2026-11-23T12:00:00Z"]],
    [["--collect-timeout", "0"]],
    [["--collect-timeout", "0x10"]],
    [["--format", "xml"]],
    [["--fail-on", "sometimes"]],
    [["--regions", "mars-1"]],
    [["--days", "0"]],
    [["--days"]],
    [["--end", "yesterday-ish"]],
    [["--verbose", "1"]],
  ])("refuses %j with InvalidInput", (argv) => {
    try {
      parseAdviseArgs(argv, ["us-east-1"]);
      expect.unreachable();
    } catch (e) {
      expect(isFleetscopeError(e) && e.code).toBe("InvalidInput");
    }
  });
});

describe("parseAdviseArgs on bad input", () => {
  const NOW = Date.UTC(2026, 11, 6, 12);
  /** The error parsing `argv` throws; fails the test when parsing succeeds or throws anything but InvalidInput. */
  const refusal = (argv: string[]): string => {
    let error: unknown = null;
    try {
      parseAdviseArgs(argv, ["us-east-1"], () => NOW);
    } catch (e) {
      error = e;
    }
    expect(isFleetscopeError(error) && error.code).toBe("InvalidInput");
    return (error as Error).message;
  };

  it("names an unknown option as unknown, whatever follows it", () => {
    expect(refusal(["--bogus"])).toBe("unknown option --bogus");
    expect(refusal(["--bogus", "--days", "1"])).toBe("unknown option --bogus");
    expect(refusal(["--bogus=1"])).toBe("unknown option --bogus");
  });

  it("takes --days only as a plain decimal number in (0, 455], naming the value given", () => {
    for (const v of ["0x10", "1e1", " 7", "Infinity", "456"])
      expect(refusal(["--days", v])).toBe(`--days must be a plain decimal number in (0, 455], got "${v}"`);
    expect(parseAdviseArgs(["--days", "455"], []).days).toBe(455);
  });

  it("takes --end only as an ISO-8601 UTC time or date, not in the future", () => {
    const forms = "YYYY-MM-DDTHH:MM:SSZ (fraction allowed) or YYYY-MM-DD, in UTC";
    for (const v of ["1", "2026-11-23T12:00:00", "2026-11-23T12:00:00+02:00", "2026-02-30"])
      expect(refusal(["--end", v])).toBe(`--end must be an ISO-8601 time ${forms}, got "${v}"`);
    expect(refusal(["--end", "2026-12-07"])).toBe(
      '--end must not be in the future: "2026-12-07" is after now (2026-12-06T12:00:00.000Z)',
    );
    expect(parseAdviseArgs(["--end", "2026-12-06"], [], () => NOW).end).toBe(Date.UTC(2026, 11, 6));
  });

  it("does not take the next option as a value", () => {
    expect(refusal(["--thresholds", "--collect"])).toBe("--thresholds needs a value");
    expect(refusal(["--days", "--live"])).toBe("--days needs a value");
  });
});

describe("exitCode", () => {
  const flags = [mk({ severity: "warning" }), mk({ severity: "info" })];
  it("fails only at or above --fail-on", () => {
    expect(exitCode(advice(flags), null)).toBe(0);
    expect(exitCode(advice(flags), "critical")).toBe(0);
    expect(exitCode(advice(flags), "warning")).toBe(1);
    expect(exitCode(advice([...flags, mk({ severity: "critical" })]), "critical")).toBe(1);
  });
  it("fails with 3 when a region could not be advised, whatever the flags", () => {
    expect(exitCode(advice([], false), null)).toBe(3);
  });
  it("fails with 3 when a rule could not be judged for a function, even over a --fail-on flag", () => {
    const missing = [logsFailed("a", "timeouts")];
    expect(exitCode(advice([], true, missing), null)).toBe(3);
    expect(exitCode(advice([mk({ severity: "critical" })], true, missing), "critical")).toBe(3);
  });
});

describe("output", () => {
  const flags = [
    mk({
      ruleId: "memory-over-provisioned",
      functionName: "image-resizer",
      monthlyImpact: saving(32.82),
      title: "Memory over-provisioned",
    }),
    mk({
      ruleId: "provisioned-idle",
      functionName: "checkout-api",
      qualifier: "live",
      monthlyImpact: saving(328.5),
    }),
    mk({ ruleId: "deprecated-runtime", functionName: "invoice-legacy", severity: "critical" }),
  ];
  it("prints a table with one row per flag and the total saving", () => {
    const lines = toTable(advice(flags)).split("\n");
    expect(lines.find((l) => l.includes("checkout-api:live"))).toMatch(/save \$328\.50/);
    expect(lines.find((l) => l.includes("image-resizer"))).toMatch(
      /memory-over-provisioned.*save \$32\.82.*Memory over-provisioned/,
    );
    expect(lines.at(-1)).toBe("3 flags (1 critical, 2 warning, 0 info); potential savings $361.32/month");
  });
  it("states the window exactly: its span, its ends, and the boundary it ends on", () => {
    expect(windowLine(window)).toBe(
      "7 d, 2026-11-16T00:00:00.000Z → 2026-11-23T00:00:00.000Z (ends at a closed 15-minute boundary)",
    );
    const day = { start: epochMs(Date.UTC(2026, 10, 22, 9, 1)), end: epochMs(Date.UTC(2026, 10, 23, 9, 1)) };
    expect(windowLine(day)).toMatch(/^24 h, .* \(ends at a closed minute\)$/);
  });
  it("prints one readable evidence line and the recommendation under each flag", () => {
    const f = mk({
      ruleId: "provisioned-spillover",
      functionName: "search-api",
      title: "spilled",
      evidence: {
        window,
        invocationsSeen: 400_000,
        numbers: {
          spilloverInvocations: { value: 373_499, unit: "count" },
          provisionedConcurrency: { value: 2, unit: "concurrency" },
        },
      },
      recommendation: { text: "Raise it to 30.", action: { kind: "investigate" } },
    });
    const lines = toTable(advice([f])).split("\n");
    const row = lines.findIndex((l) => l.includes("search-api"));
    expect(lines[row + 1]).toBe("    evidence: spillover invocations 373,499 · provisioned concurrency 2");
    expect(lines[row + 2]).toBe("    do: Raise it to 30.");
    expect(lines.join("\n")).not.toContain("spilloverInvocations");
  });
  it("says which rules could not be judged for which functions, and why", () => {
    const missing = ["a", "b"].flatMap((fn) => [logsFailed(fn, "timeouts"), logsFailed(fn, "cold-starts")]);
    const table = toTable(advice([], true, missing));
    expect(table).toContain(
      "us-east-1: not judged: rules timeouts, cold-starts for 2 functions (a, b): " +
        "Logs Insights: ServiceUnavailableException",
    );
    expect(table).toContain("Evidence incomplete (exit 3):");
    const out = JSON.parse(toJson(advice([], true, missing))) as {
      ok: boolean;
      regions: { ok: boolean; notJudged: number }[];
      unjudged: FleetUnjudged[];
    };
    expect(out.ok).toBe(false);
    expect(out.regions[0]).toMatchObject({ ok: false, notJudged: 4 });
    expect(out.unjudged).toEqual(missing);
    expect((JSON.parse(toJson(advice([]))) as { ok: boolean }).ok).toBe(true);
  });
  it("prints JSON with the flags, counts and total", () => {
    const out = JSON.parse(toJson(advice(flags))) as { summary: unknown; flags: Flag[] };
    expect(out.summary).toEqual({
      counts: { critical: 1, warning: 2, info: 0 },
      totalMonthlySavingUsd: 361.32,
      totalMonthlySavingLowerBound: false,
      byAccount: [{ account: ACCOUNT, flags: 3, monthlySavingUsd: 361.32, monthlySavingLowerBound: false }],
    });
    expect(out.flags.map((f) => f.functionName)).toEqual(["image-resizer", "checkout-api", "invoice-legacy"]);
  });
  it("groups by severity then rule, rules and flags by money at stake", () => {
    const more = [
      ...flags,
      mk({ ruleId: "memory-over-provisioned", functionName: "b", monthlyImpact: saving(500) }),
    ];
    const g = groupFlags(more);
    expect(g.map((x) => x.severity)).toEqual(["critical", "warning"]);
    expect(g[1]?.rules.map((r) => r.ruleId)).toEqual(["memory-over-provisioned", "provisioned-idle"]);
    expect(g[1]?.rules[0]?.flags.map((f) => f.functionName)).toEqual(["b", "image-resizer"]);
    expect(sortFlags(more, "stake")[0]?.functionName).toBe("b");
    expect(totalMonthlySaving(more)).toBe(861_320_000);
  });
});

describe("several accounts", () => {
  const OTHER = "222222222222";
  // The same function name in two accounts: two functions, flagged, totalled and badged apart.
  const two = [
    mk({ ruleId: "memory-over-provisioned", functionName: "checkout", monthlyImpact: saving(10) }),
    mk({
      account: OTHER,
      ruleId: "memory-over-provisioned",
      functionName: "checkout",
      monthlyImpact: saving(25),
    }),
    mk({ account: OTHER, ruleId: "errors", functionName: "checkout", severity: "critical" }),
  ];
  const both: FleetAdvice = {
    ...advice(two),
    regions: [
      { ...advice([]).regions[0]!, account: ACCOUNT, accountName: "management" },
      { ...advice([]).regions[0]!, account: OTHER, accountName: "member-1" },
    ],
  };
  it("sums the money at stake across accounts and per account", () => {
    expect(totalMonthlySaving(two)).toBe(35_000_000);
    expect(savingByAccount(two)).toEqual([
      { account: OTHER, saving: 25_000_000, lowerBound: false, flags: 2 },
      { account: ACCOUNT, saving: 10_000_000, lowerBound: false, flags: 1 },
    ]);
  });
  it("prints the account of each flag and each account's saving", () => {
    const lines = toTable(both).split("\n");
    expect(lines.find((l) => l.startsWith("SEVERITY"))).toMatch(/RULE\s+ACCOUNT\s+REGION\s+FUNCTION/);
    const rows = lines.filter((l) => l.includes(" checkout "));
    expect(rows.map((l) => l.split(/\s+/)[2])).toEqual(expect.arrayContaining([ACCOUNT, OTHER]));
    expect(lines).toContain(`${ACCOUNT}/us-east-1 (management): 3 functions`);
    expect(lines).toContain(`  ${OTHER}: 2 flags, potential savings $25.00/month`);
    expect(lines).toContain(`  ${ACCOUNT}: 1 flags, potential savings $10.00/month`);
    const json = JSON.parse(toJson(both)) as { flags: FleetFlag[]; summary: { byAccount: unknown[] } };
    expect(json.flags.map((f) => f.account).sort()).toEqual([ACCOUNT, OTHER, OTHER]);
    expect(json.summary.byAccount).toHaveLength(2);
  });
  it("keeps their unjudged entries and sort apart", () => {
    const u = [logsFailed("checkout", "timeouts"), { ...logsFailed("checkout", "timeouts"), account: OTHER }];
    expect(notJudgedLines(u)).toEqual([
      `${ACCOUNT}/us-east-1: not judged: rule timeouts for function checkout: Logs Insights: ServiceUnavailableException`,
      `${OTHER}/us-east-1: not judged: rule timeouts for function checkout: Logs Insights: ServiceUnavailableException`,
    ]);
    expect(sortFlags(two, "function").map((f) => f.account)).toEqual([ACCOUNT, OTHER, OTHER]);
  });
  it("takes --accounts as 12-digit ids, refusing anything else by name", () => {
    expect(parseAdviseArgs([], ["us-east-1"]).accounts).toBeNull();
    expect(parseAdviseArgs(["--accounts", `${OTHER}, ${ACCOUNT}`], ["us-east-1"]).accounts).toEqual([
      OTHER,
      ACCOUNT,
    ]);
    expect(() => parseAdviseArgs(["--accounts", "12345,prod"], ["us-east-1"])).toThrow(
      "--accounts: not AWS account ids (12 digits): 12345, prod",
    );
  });
});

describe("resolveThresholds", () => {
  const files: Record<string, string> = {
    "/t.json": '{"memory":{"overProvisionedBelow":0.5}}',
    "/bad.json": "{nope",
  };
  const read = (p: string) => {
    const f = files[p];
    if (f === undefined) throw new Error("ENOENT");
    return f;
  };
  it("takes inline JSON, a file path, and single-field variables on top", () => {
    expect(
      resolveThresholds({ FLEETSCOPE_ADVISOR_THRESHOLDS: '{"errors":{"warnAbove":0.02}}' }, read).errors
        .warnAbove,
    ).toBe(0.02);
    const t = resolveThresholds(
      { FLEETSCOPE_ADVISOR_THRESHOLDS: "/t.json", FLEETSCOPE_ADVISOR__COLD_STARTS__WARN_ABOVE: "0.05" },
      read,
    );
    expect(t.memory.overProvisionedBelow).toBe(0.5);
    expect(t.coldStarts.warnAbove).toBe(0.05);
    expect(t.errors.warnAbove).toBe(0.01);
    expect(resolveThresholds({}, read).memory.overProvisionedBelow).toBe(0.6);
  });
  it.each([
    [{ FLEETSCOPE_ADVISOR_THRESHOLDS: "/missing.json" }],
    [{ FLEETSCOPE_ADVISOR_THRESHOLDS: "/bad.json" }],
    [{ FLEETSCOPE_ADVISOR_THRESHOLDS: '{"memory":{"overProvisionedBelow":2}}' }],
    [{ FLEETSCOPE_ADVISOR__MEMORY__TYPO: "1" }],
  ])("refuses %j with InvalidInput", (env) => {
    try {
      resolveThresholds(env, read);
      expect.unreachable();
    } catch (e) {
      expect(isFleetscopeError(e) && e.code).toBe("InvalidInput");
    }
  });
});

describe("evidence for the page", () => {
  it("turns same-unit numbers into bars scaled to the largest, folding seconds into ms", async () => {
    const { evidenceBars, badgeSummaries } = await import("@/lib/data/advisor/summary");
    const f = mk({
      ruleId: "timeout-near",
      evidence: {
        window,
        invocationsSeen: 1000,
        numbers: {
          timeout: { value: 30, unit: "s" },
          p99Duration: { value: 28_100, unit: "ms" },
          nearTimeoutShare: { value: 0.02, unit: "ratio" },
        },
      },
    });
    expect(evidenceBars(f)).toEqual([
      { key: "timeout", label: "timeout", value: 30_000, share: 1, display: "30 s" },
      { key: "p99Duration", label: "p99 duration", value: 28_100, share: 28_100 / 30_000, display: "28.1 s" },
    ]);
    expect(evidenceBars(mk({}))).toEqual([]);
    expect(badgeSummaries([mk({ severity: "info" }), mk({ severity: "critical", title: "bad" })])).toEqual({
      [`${ACCOUNT}:us-east-1:fn`]: { worst: "critical", count: 2, titles: ["t", "bad"] },
    });
  });
});
