import { LIMITS } from "@/lib/core/limits";
import type { AccountSettings } from "@/lib/core/lambda/types";
import { bytesToMb, microUsd } from "@/lib/core/units";
import type { RuleContext } from "../context";
import { num, pct } from "../context";
import type { Flag, Window } from "../types";

/** Code storage (functions + layers, all versions) against the region's 75 GB: old versions pile up. */
export function accountCodeStorage(account: AccountSettings, window: Window, ctx: RuleContext): Flag[] {
  const limit = account.codeSizeLimit > 0 ? account.codeSizeLimit : LIMITS.codeStorage.value;
  const share = account.totalCodeSize / limit;
  if (share < ctx.thresholds.limits.accountStorageNearAbove) return [];
  return [
    {
      ruleId: "account-code-storage",
      functionName: null,
      region: account.region,
      severity: "warning",
      title: `Code storage ${(bytesToMb(account.totalCodeSize) / 1024).toFixed(1)} GB is ${pct(share)} of the ${(bytesToMb(limit) / 1024).toFixed(0)} GB quota`,
      evidence: {
        window,
        numbers: {
          totalCodeSize: num(account.totalCodeSize, "bytes"),
          limit: num(limit, "bytes"),
          share: num(share, "ratio"),
        },
        invocationsSeen: 0,
      },
      confidence: { level: "high", why: "GetAccountSettings" },
      recommendation: {
        text: "Delete unused published versions and layer versions (keep those an alias points to).",
        action: { kind: "investigate" },
      },
      monthlyImpact: {
        amount: microUsd(0),
        kind: "none",
        basis: "deploys fail at the quota; storage is not billed",
      },
    },
  ];
}
