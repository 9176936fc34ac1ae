/**
 * The advisor's evidence bookkeeping (evidence.ts), the folding of one concern into one recommendation
 * (merge.ts) and the readable evidence list (evidence-text.ts): pure, judged through `advise` where it applies.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { FlagCard } from "@/components/advisor/flag-card";
import { advise, notJudgedFor, RULE_EVIDENCE, type Flag, type RuleId } from "@/lib/core/advisor";
import { evidenceLine, evidenceRows, formatDeprecation } from "@/lib/core/advisor/evidence-text";
import { mergeConcerns } from "@/lib/core/advisor/merge";
import { epochMs } from "@/lib/core/units";
import { toJson, toTable } from "@/lib/data/advisor/cli";
import { notJudgedLines, type FleetAdvice } from "@/lib/data/advisor/summary";
import { config, DAY, days, input, NOW } from "./advisor-fixtures";

const INV = 70_000;
const LOG_RULES = (Object.keys(RULE_EVIDENCE) as RuleId[]).filter((r) =>
  RULE_EVIDENCE[r].needs.includes("logs"),
);
const overProvisioned = { config: { name: "image-resizer", memory: 3008 as never } };

const base = advise(
  input({
    config: { name: "webhook-ingest" },
    reservedConcurrency: 5,
    observed: { concurrencyMax: 5, throttles: 9_000, perDay: days(INV / 7, { throttles: 0.12 }) },
  }),
  { now: NOW },
);

describe("rules whose evidence is missing", () => {
  it("are not run, and are listed with the reason, while rules on other sources still judge", () => {
    const failed = input({
      ...overProvisioned,
      missing: { logs: "Logs Insights: ThrottlingException" },
      observed: { errors: Math.round(INV * 0.2), perDay: days(INV / 7, { errors: 0.2 }) },
    });
    const flags = advise(failed, { now: NOW });
    expect(flags.map((f) => f.ruleId)).toContain("errors");
    expect(flags.filter((f) => LOG_RULES.includes(f.ruleId))).toEqual([]);
    const unjudged = notJudgedFor(failed);
    expect(unjudged.map((u) => u.ruleId).sort()).toEqual([...LOG_RULES].sort());
    expect(unjudged[0]).toEqual({
      region: "us-east-1",
      functionName: "image-resizer",
      ruleId: unjudged[0]?.ruleId,
      source: "logs",
      reason: "Logs Insights: ThrottlingException",
      partly: false,
    });
    // The same function with its logs read is flagged for its memory: the rule was skipped, not silent.
    expect(advise(input(overProvisioned), { now: NOW }).map((f) => f.ruleId)).toContain(
      "memory-over-provisioned",
    );
    expect(notJudgedFor(input(overProvisioned))).toEqual([]);
  });

  it("lists a rule judged on part of its evidence as partly judged", () => {
    const unread = input({ missing: { versions: "configuration of published version 3 not read yet" } });
    expect(notJudgedFor(unread)).toEqual([
      expect.objectContaining({ ruleId: "deprecated-runtime", source: "versions", partly: true }),
    ]);
  });

  it("never says high on evidence that covers less than the window asked", () => {
    const throttled = {
      config: { name: "webhook-ingest" },
      reservedConcurrency: 5,
      observed: { concurrencyMax: 5, throttles: 9_000, perDay: days(INV / 7, { throttles: 0.12 }) },
    };
    const whole = advise(input(throttled), { now: NOW }).find((f) => f.ruleId === "throttles");
    expect(whole?.confidence.level).toBe("high");
    const part = advise(input({ ...throttled, partial: "the collector is still backfilling" }), { now: NOW });
    const t = part.find((f) => f.ruleId === "throttles");
    expect(t?.confidence.level).toBe("medium");
    expect(t?.confidence.why).toMatch(/partial evidence: the collector is still backfilling$/);
    // Configuration-only flags keep theirs: the configuration was read whole.
    const old = advise(input({ config: { runtime: "python3.8" }, partial: "behind" }), { now: NOW });
    expect(old.find((f) => f.ruleId === "deprecated-runtime")?.confidence.level).toBe("high");
  });

  it("never says high for a rule it lists as partly judged for that function", () => {
    const why = "configuration of published version 3 not read yet";
    const old = { config: { runtime: "python3.8" } };
    const judgedWhole = advise(input(old), { now: NOW }).find((f) => f.ruleId === "deprecated-runtime");
    expect(judgedWhole?.confidence.level).toBe("high");
    const partly = input({ ...old, missing: { versions: why } });
    expect(notJudgedFor(partly)).toEqual([
      expect.objectContaining({ ruleId: "deprecated-runtime", partly: true }),
    ]);
    const f = advise(partly, { now: NOW }).find((x) => x.ruleId === "deprecated-runtime");
    expect(f?.confidence.level).toBe("medium");
    expect(f?.confidence.why).toContain(
      `partly judged: published versions' configurations not read (${why})`,
    );

    // The same for a telemetry rule with a partly source (errors: the settings).
    const failing = {
      observed: { errors: Math.round(INV * 0.2), perDay: days(INV / 7, { errors: 0.2 }) },
    };
    const errorsWhole = advise(input(failing), { now: NOW }).find((x) => x.ruleId === "errors");
    expect(errorsWhole?.confidence.level).toBe("high");
    const errorsPartly = advise(
      input({ ...failing, missing: { settings: "GetFunctionConcurrency: throttled" } }),
      {
        now: NOW,
      },
    ).find((x) => x.ruleId === "errors");
    expect(errorsPartly?.confidence.level).toBe("medium");
    expect(errorsPartly?.confidence.why).toContain("GetFunctionConcurrency: throttled");
  });
});

describe("one recommendation per function and concern", () => {
  it("folds concurrency flags into the most severe, with the higher target and both rules' evidence", () => {
    const [t, ...others] = base.filter(
      (f) => f.functionName === "webhook-ingest" && f.ruleId !== "data-coverage",
    );
    expect(others).toEqual([]);
    expect(t).toMatchObject({
      ruleId: "throttles",
      severity: "critical",
      merged: ["concurrency-near-limit"],
    });
    expect(Object.keys(t?.evidence.numbers ?? {})).toEqual(
      expect.arrayContaining(["throttles", "reservedConcurrency", "concurrencyLimit", "concurrencyShare"]),
    );
  });

  it("keeps flags of different functions, qualifiers or concerns apart", () => {
    const f = (over: Partial<Flag>): Flag => ({ ...(base[0] as Flag), ...over });
    const flags = [
      f({ functionName: "a", ruleId: "throttles" }),
      f({ functionName: "b", ruleId: "concurrency-near-limit" }),
      f({ functionName: "a", ruleId: "errors" }),
      f({ functionName: "a", ruleId: "provisioned-idle", qualifier: "live" }),
      f({ functionName: "a", ruleId: "provisioned-spillover", qualifier: "beta" }),
    ];
    expect(mergeConcerns(flags)).toEqual(flags);
  });
});

describe("the readable evidence list", () => {
  it("reads a deprecation as a sentence with its date, on either side of it", () => {
    expect(formatDeprecation(-908, Date.UTC(2024, 5, 10))).toBe("deprecated 908 days ago (2024-06-10)");
    expect(formatDeprecation(30, Date.UTC(2026, 11, 23))).toBe("deprecates in 30 days (2026-12-23)");
    expect(formatDeprecation(1, null)).toBe("deprecates in 1 day");
    const [flag] = advise(input({ config: config({ runtime: "python3.8" }) }), { now: NOW }).filter(
      (f) => f.ruleId === "deprecated-runtime",
    );
    expect(evidenceRows(flag as Flag)).toEqual([
      { key: "daysUntilDeprecation", label: "runtime", text: "deprecated 771 days ago (2024-10-14)" },
    ]);
  });

  it("labels every number once, with thousands separators and units", () => {
    const [t] = base.filter((f) => f.ruleId === "throttles");
    const line = evidenceLine(t as Flag);
    expect(line).toContain("throttled requests 9,000");
    expect(line).toContain("reserved concurrency 5");
    expect(line).toContain("peak share of the limit 100%");
    expect(line).not.toMatch(/[a-z][A-Z]/); // no raw camelCase key
  });
});

describe("notJudgedLines", () => {
  it("groups one cause into one line: its rules, its functions (a few named) and why", () => {
    const u = (functionName: string, ruleId: RuleId) => ({
      account: "111111111111",
      region: "us-east-1",
      functionName,
      ruleId,
      source: "logs" as const,
      reason: "Logs Insights: throttled",
      partly: false,
    });
    const fns = ["a", "b", "c", "d", "e", "f", "g"];
    expect(notJudgedLines(fns.flatMap((fn) => [u(fn, "timeouts"), u(fn, "cold-starts")]))).toEqual([
      "111111111111/us-east-1: not judged: rules timeouts, cold-starts for 7 functions (a, b, c, d, e and 2 more): " +
        "Logs Insights: throttled",
    ]);
    expect(notJudgedLines([u("a", "timeouts")])).toEqual([
      "111111111111/us-east-1: not judged: rule timeouts for function a: Logs Insights: throttled",
    ]);
  });
});

describe("money at stake on a cost that leaves parts out", () => {
  const failing = { errors: Math.round(INV * 0.2), perDay: days(INV / 7, { errors: 0.2 }) };
  const logsFailed = "Logs Insights: ThrottlingException";
  const errorsFlag = (over: Parameters<typeof input>[0]) =>
    advise(input(over), { now: NOW }).find((f) => f.ruleId === "errors" && f.qualifier === undefined);

  it("is a lower bound, named as such with what it leaves out, when INIT could not be priced", () => {
    const whole = errorsFlag({ observed: failing });
    expect(whole?.monthlyImpact.kind).toBe("cost");
    expect(whole?.monthlyImpact.lowerBound).toBeUndefined();
    // The logs failed: cold starts unknown, so the cost has no INIT part (billed since 2025-08 for this ZIP
    // function) and the errors' share of it is at least the figure shown.
    const noLogs = errorsFlag({
      missing: { logs: logsFailed },
      observed: {
        ...failing,
        timeouts: null,
        outOfMemory: null,
        reportCount: null,
        coldStarts: { count: null, avgInitMs: null, p99InitMs: null },
      },
    });
    expect(noLogs?.monthlyImpact).toMatchObject({
      kind: "cost",
      lowerBound: true,
      missing: [`init: ${logsFailed}`],
    });
    expect(noLogs!.monthlyImpact.amount).toBeLessThan(whole!.monthlyImpact.amount);
  });

  it("is a lower bound for a saving between two costs that both leave a part out", () => {
    const big = { config: { name: "image-resizer", memory: 3008 as never } };
    const saving = (over: Parameters<typeof input>[0]) =>
      advise(input(over), { now: NOW }).find((f) => f.ruleId === "memory-over-provisioned")?.monthlyImpact;
    expect(saving(big)?.lowerBound).toBeUndefined();
    // Provisioned concurrency configured but its settings could not be read: its charge is not priced.
    const unread = saving({
      ...big,
      missing: { settings: "ListProvisionedConcurrencyConfigs: throttled" },
    });
    expect(unread).toMatchObject({
      kind: "saving",
      lowerBound: true,
      missing: ["provisioned concurrency: ListProvisionedConcurrencyConfigs: throttled"],
    });
    // SnapStart restores are never collected: a SnapStart function's figures are always lower bounds.
    const snap = saving({ config: { ...big.config, runtime: "python3.13", snapStart: true } });
    expect(snap).toMatchObject({ lowerBound: true, missing: ["SnapStart restores: not collected"] });
  });

  it("reads 'at least' in the CLI's table and JSON, and on the Advisor page", () => {
    const flags = advise(
      input({
        missing: { logs: logsFailed },
        observed: { ...failing, coldStarts: { count: null, avgInitMs: null, p99InitMs: null } },
      }),
      { now: NOW },
    );
    const advice: FleetAdvice = {
      window: { start: epochMs(NOW - 7 * DAY), end: NOW },
      generatedAt: NOW,
      source: "live",
      regions: [
        {
          account: "111111111111",
          accountName: null,
          region: "us-east-1",
          ok: false,
          advised: true,
          message: null,
          functions: 1,
          unjudged: [],
        },
      ],
      flags: flags.map((f) => ({ ...f, account: "111111111111" })),
    };
    const row = toTable(advice)
      .split("\n")
      .find((l) => l.startsWith("critical") && l.includes("errors"));
    expect(row).toMatch(/cost at least \$\d+\.\d\d/);
    // The Advisor page's card says it too.
    const card = renderToStaticMarkup(
      createElement(FlagCard, { flag: advice.flags.find((f) => f.ruleId === "errors")!, linkQuery: "" }),
    );
    expect(card).toMatch(/>at least \$[\d,]+\.\d\d\/mo cost</);
    expect(card).toContain(`a lower bound: leaves out init: ${logsFailed}`);
    const json = JSON.parse(toJson(advice)) as { flags: Flag[] };
    expect(json.flags.find((f) => f.ruleId === "errors")?.monthlyImpact).toMatchObject({
      lowerBound: true,
      missing: [`init: ${logsFailed}`],
    });
  });
});
