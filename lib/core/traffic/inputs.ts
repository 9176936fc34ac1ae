/**
 * The shapes a browser may send to change traffic, validated with zod on the server (never trusted from the
 * form). Percentages arrive as the operator typed them (0–100) and become weights (0–1) here, once.
 */
import { z } from "zod";
import { isRegion } from "../regions";
import { ratio, seconds } from "../units";
import { DEFAULT_GUARDS } from "./guards";
import { percentToWeight } from "./routing";

const name = z.string().regex(/^[a-zA-Z0-9-_]{1,64}$/, "not a Lambda function name");
const aliasName = z
  .string()
  .regex(/^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/, "not an alias name")
  .max(128);
const version = z.string().regex(/^(\$LATEST|[1-9]\d{0,9})$/, "not a version");
const region = z.string().refine(isRegion, "not an AWS region name");
const reason = z.string().trim().max(500).default("");
const percent = z.number().finite().min(0).max(100);

/** Absent: the console's default account (lib/data/account-scopes.ts); the server checks it is one it reads. */
const account = z
  .string()
  .regex(/^\d{12}$/, "not an AWS account id (12 digits)")
  .optional();

const target = { account, region, functionName: name, alias: aliasName };

export const shiftInputSchema = z.object({
  ...target,
  primaryVersion: version,
  additionalVersion: version.nullable(),
  weightPercent: percent,
  /** The RevisionId read with the alias the operator saw; a stale one is a conflict. */
  revisionId: z.string().min(1).max(64),
  reason,
});
export type ShiftInput = z.infer<typeof shiftInputSchema>;

export const oneClickInputSchema = z.object({ ...target, revisionId: z.string().min(1).max(64), reason });
export type OneClickInput = z.infer<typeof oneClickInputSchema>;

/**
 * Promote may override a failing verdict (verdict.ts), but only on purpose: `override` ticked and a reason
 * given, which the audit record keeps.
 */
export const promoteInputSchema = oneClickInputSchema
  .extend({ override: z.boolean().default(false) })
  .refine((p) => !p.override || p.reason.length >= 3, {
    path: ["reason"],
    message: "overriding a failing verdict needs a reason (at least 3 characters)",
  });
export type PromoteInput = z.infer<typeof promoteInputSchema>;

export const planInputSchema = z
  .object({
    ...target,
    newVersion: version,
    kind: z.enum(["canary", "linear"]),
    /** Canary weight, or linear increment, in percent. */
    stepPercent: z.number().finite().gt(0).lt(100),
    stepSeconds: z
      .number()
      .int()
      .min(10)
      .max(24 * 3600),
    maxErrorRateIncreasePercent: z
      .number()
      .finite()
      .min(0)
      .max(100)
      .default(DEFAULT_GUARDS.maxErrorRateIncreasePercent),
    maxP99Ratio: z.number().finite().min(1).max(100).nullable().default(DEFAULT_GUARDS.maxP99Ratio),
    alarmName: z.string().trim().min(1).max(255).nullable().default(null),
    minInvocations: z.number().int().min(1).max(1_000_000).default(DEFAULT_GUARDS.minInvocations),
    /** The alias revision the operator confirmed the plan against; optional for API clients, the console sends it. */
    revisionId: z.string().min(1).max(64).optional(),
    reason,
  })
  .transform((p) => ({
    ...p,
    stepWeight: percentToWeight(p.stepPercent),
    stepSeconds: seconds(p.stepSeconds),
    maxErrorRateIncrease: ratio(p.maxErrorRateIncreasePercent / 100),
  }));
export type PlanInput = z.infer<typeof planInputSchema>;
