import { runtimeStatus, suggestedUpgrade } from "@/lib/core/runtimes";
import type { Flag } from "../types";
import { flag, noImpact, num, type Rule } from "../context";

/**
 * Per version, not only $LATEST: an alias can route to an old published version. Deprecated is critical;
 * deprecating within `warnWithinDays` (Trusted Advisor: 120) warns. Container images have no managed runtime.
 */
export const deprecatedRuntime: Rule = (input, ctx) => {
  const out: Flag[] = [];
  for (const config of [input.config, ...input.versions]) {
    if (config.runtime === null) continue;
    const s = runtimeStatus(config.runtime, ctx.now, ctx.thresholds.runtime.warnWithinDays);
    if (s.status !== "deprecated" && s.status !== "deprecating-soon") continue;
    const upgrade = suggestedUpgrade(config.runtime, ctx.now) ?? null;
    const date = s.info?.deprecation ?? "?";
    out.push(
      flag(input, "deprecated-runtime", {
        qualifier: config.version,
        severity: s.status === "deprecated" ? "critical" : "warning",
        title:
          s.status === "deprecated"
            ? `${config.runtime} was deprecated on ${date} (version ${config.version})`
            : `${config.runtime} is deprecated on ${date}, in ${s.daysUntilDeprecation} days (version ${config.version})`,
        numbers: {
          daysUntilDeprecation: num(s.daysUntilDeprecation ?? 0, "days"),
          ...(s.info?.deprecation ? { deprecationDate: num(Date.parse(s.info.deprecation), "date") } : {}),
        },
        confidence: { level: "high", why: "configuration and AWS's published runtime schedule" },
        recommendation: {
          text:
            `Upgrade to ${upgrade ?? "a supported runtime"}` +
            (s.info?.blockUpdate
              ? `; updates to ${config.runtime} functions are blocked from ${s.info.blockUpdate}.`
              : "."),
          action: { kind: "upgrade-runtime", from: config.runtime, to: upgrade },
        },
        monthlyImpact: noImpact("no security patches or support; not a list-price cost"),
      }),
    );
  }
  return out;
};
