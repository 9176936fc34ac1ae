/**
 * Advisor thresholds: typed defaults (the anchors in DESIGN.md "Flags"), overridable from a JSON file or an
 * env-like record. Defaults are set so that the healthy sandbox profile (memory 65–88% used, errors < 0.3%,
 * timeouts 3–10× p99.9 and ≤ 60 s, cold starts < 1%, current runtimes) produces no flag.
 */
import { z } from "zod";
import { invalidInput } from "@/lib/core/errors";
import { LAG_DEFAULTS } from "@/lib/core/triggers/lag";

const ratio = z.coerce.number().min(0).max(1);
const positive = z.coerce.number().positive();
const count = z.coerce.number().int().min(0);
/** A section: unknown keys are errors (a typo must not keep a default), omitted keys take their defaults. */
// Every field has a default, so `{}` is a valid input; the cast only tells the generic so.
const section = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape).prefault({} as never);

export const thresholdsSchema = z.strictObject({
  evidence: section({
    /** Compute Optimizer's floor: fewer invocations than this and no rule judges usage. */
    minInvocations: count.default(50),
    /** Serverless Dashboard / Compute Optimizer look at 7–14 days; shorter windows lower confidence. */
    minWindowDays: positive.default(7),
    highConfidenceInvocations: count.default(1000),
    /** REPORT lines seen / Invocations below this makes log-derived evidence "low" confidence. */
    minReportCoverage: ratio.default(0.9),
  }),
  memory: section({
    /** Max memory used below this share of configured = over-provisioned (Serverless Dashboard 80%, we say 60%). */
    overProvisionedBelow: ratio.default(0.6),
    headroom: z.coerce.number().min(1).default(1.25),
    stepMb: z.coerce.number().int().positive().default(64),
    /** Datadog: any invocation above 95% of configured memory. */
    nearLimitAbove: ratio.default(0.95),
  }),
  timeout: section({
    /** Serverless Dashboard 90%, Datadog 95%: the stricter (earlier) 90%. */
    nearAbove: ratio.default(0.9),
    /** Trusted Advisor: > 10% of invocations timing out on a day. */
    dailyRateCritical: ratio.default(0.1),
    /** A timeout above this is "large" (a runaway costs up to it)… */
    largeSeconds: positive.default(60),
    /** …and over-generous when it is more than this many times p99.9. */
    overGenerousFactor: positive.default(10),
  }),
  errors: section({ warnAbove: ratio.default(0.01), criticalAbove: ratio.default(0.1) }),
  throttles: section({ criticalAbove: ratio.default(0.1) }),
  concurrency: section({ nearAbove: ratio.default(0.8) }),
  coldStarts: section({ warnAbove: ratio.default(0.01) }),
  provisioned: section({ idleBelow: ratio.default(0.6), targetUtilisation: ratio.default(0.8) }),
  runtime: section({ warnWithinDays: count.default(120) }),
  limits: section({
    codeSizeNearAbove: ratio.default(0.9),
    envVarsNearAbove: ratio.default(0.8),
    accountStorageNearAbove: ratio.default(0.8),
  }),
  iteratorAge: section({ warnAboveMs: positive.default(2 * 3600 * 1000) }),
  streamLag: section({
    /**
     * The iterator age must grow at least this much per hour (10 min/h: a healthy stream's jitter is ms) over a
     * run at least `minHours` long. The defaults are /sources' own (lib/core/triggers/lag.ts), so both agree.
     */
    minGrowthMsPerHour: positive.default(LAG_DEFAULTS.minGrowthMsPerHour),
    minHours: positive.default(LAG_DEFAULTS.minHours),
    /** Stream retention assumed when unknown: Kinesis's default and DynamoDB Streams' fixed 24 h. */
    retentionHours: positive.default(24),
    /** Records projected to expire within this many hours makes the flag critical. */
    criticalWithinHours: positive.default(12),
  }),
  /** AWS: visibility timeout ≥ 6 × the function timeout + MaximumBatchingWindowInSeconds. */
  sqs: section({ visibilityFactor: positive.default(6) }),
  arm64: section({
    enabled: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]).default(true),
    /**
     * Below this monthly saving the move is not worth a flag. Nearly every busy x86_64 function would save ~20%,
     * so a low bar flags the whole healthy fleet; $50 keeps it to moves worth a rebuild.
     */
    minMonthlySavingUsd: z.coerce.number().min(0).default(50),
  }),
  coverage: section({
    /** |REPORT count − Invocations| / Invocations above this: log-derived evidence is incomplete. */
    reportMismatchAbove: ratio.default(0.1),
  }),
});

export type Thresholds = z.output<typeof thresholdsSchema>;

export const DEFAULT_THRESHOLDS: Thresholds = thresholdsSchema.parse({});

const ENV_PREFIX = /^(FLEETSCOPE_)?ADVISOR(__|_|\.)/i;
const norm = (s: string) => s.replace(/[_-]/g, "").toLowerCase();

/** Maps "FLEETSCOPE_ADVISOR__MEMORY__OVER_PROVISIONED_BELOW" or "memory.overProvisionedBelow" to its path. */
function pathOf(key: string): [string, string] {
  const parts = key.replace(ENV_PREFIX, "").split(/__|\./);
  const [rawSection, rawField, ...rest] = parts;
  const section = Object.keys(DEFAULT_THRESHOLDS).find((s) => norm(s) === norm(rawSection ?? ""));
  const fields = section ? Object.keys(DEFAULT_THRESHOLDS[section as keyof Thresholds]) : [];
  const field = fields.find((f) => norm(f) === norm(rawField ?? ""));
  if (!section || !field || rest.length > 0)
    throw invalidInput(`Unknown advisor threshold "${key}"`, { key });
  return [section, field];
}

const isFlat = (input: Record<string, unknown>) =>
  Object.values(input).every((v) => typeof v !== "object" || v === null);

/**
 * Thresholds from a parsed JSON object (nested, partial: `{ "memory": { "overProvisionedBelow": 0.5 } }`) or
 * from an env-like flat record (`{ "ADVISOR__MEMORY__OVER_PROVISIONED_BELOW": "0.5" }` or dotted keys).
 * Anything unknown or out of range throws InvalidInput naming the key: a typo must not silently keep a default.
 */
export function parseThresholds(input: unknown): Thresholds {
  if (input === undefined || input === null) return DEFAULT_THRESHOLDS;
  if (typeof input !== "object" || Array.isArray(input)) {
    throw invalidInput("Advisor thresholds must be an object");
  }
  let nested: Record<string, Record<string, unknown>> = {};
  const record = input as Record<string, unknown>;
  if (Object.keys(record).length > 0 && isFlat(record)) {
    for (const [key, value] of Object.entries(record)) {
      const [section, field] = pathOf(key);
      nested[section] = { ...nested[section], [field]: value };
    }
  } else {
    nested = record as Record<string, Record<string, unknown>>;
  }
  const parsed = thresholdsSchema.safeParse(nested);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw invalidInput(`Invalid advisor thresholds: ${issues.join("; ")}`, { issues });
  }
  const { errors } = parsed.data;
  if (errors.warnAbove > errors.criticalAbove) {
    throw invalidInput("errors.warnAbove must not exceed errors.criticalAbove", { ...errors });
  }
  return parsed.data;
}
