/**
 * Advisor test fixtures: a healthy function as the sandbox's healthy profile describes it (memory 65–88% used,
 * errors < 0.3%, timeout 3–10× p99.9 and ≤ 60 s, cold starts < 1%, current runtime, tracing on), and the
 * planted functions as variations of it. Builders take partial overrides so each test states only what matters.
 */
import type { AccountSettings, FunctionConfig } from "@/lib/core/lambda/types";
import type { AdvisorInput, FunctionObservations } from "@/lib/core/advisor";
import { bytes, epochMs, mb, ms, seconds, type EpochMs } from "@/lib/core/units";

export const NOW: EpochMs = epochMs(Date.UTC(2026, 10, 23, 12));
export const DAY = 86_400_000;
export const MiB = 1024 * 1024;

export function config(over: Partial<FunctionConfig> = {}): FunctionConfig {
  const name = over.name ?? "orders-api";
  const region = over.region ?? "us-east-1";
  return {
    region,
    name,
    arn: `arn:aws:lambda:${region}:000000000000:function:${name}`,
    version: "$LATEST",
    description: "",
    runtime: "nodejs22.x",
    packageType: "Zip",
    architecture: "x86_64",
    memory: mb(1024),
    timeout: seconds(6),
    ephemeralStorage: mb(512),
    codeSize: bytes(3 * MiB),
    codeSha256: "sha",
    envVarsSize: bytes(300),
    layers: [],
    lastModified: epochMs(NOW - 30 * DAY),
    logGroup: `/aws/lambda/${name}`,
    logFormat: "Text",
    tracing: "Active",
    snapStart: false,
    revisionId: "rev",
    ...over,
  };
}

/** 7 days of steady traffic at 20/min. */
export function observations(over: Partial<FunctionObservations> = {}): FunctionObservations {
  const invocations = over.invocations ?? 20 * 60 * 24 * 7;
  const errors = over.errors ?? Math.round(invocations * 0.002);
  const perDayInv = Math.round(invocations / 7);
  return {
    window: { start: epochMs(NOW - 7 * DAY), end: NOW },
    invocations,
    errors,
    throttles: 0,
    duration: { p50: ms(120), p99: ms(400), p999: ms(900), max: ms(1500), avg: ms(150) },
    memoryUsed: { max: mb(880), p99: mb(800) },
    timeouts: 0,
    nearTimeoutInvocations: null,
    outOfMemory: 0,
    coldStarts: { count: Math.round(invocations * 0.005), avgInitMs: ms(300), p99InitMs: ms(600) },
    concurrencyMax: 3,
    accountUnreservedConcurrencyMax: 40,
    provisioned: [],
    iteratorAgeMaxMs: null,
    asyncEventsDropped: 0,
    recursiveInvocationsDropped: 0,
    reportCount: invocations,
    perDay: Array.from({ length: 7 }, (_, i) => ({
      day: epochMs(NOW - (7 - i) * DAY),
      invocations: perDayInv,
      errors: Math.round(errors / 7),
      throttles: 0,
      timeouts: 0,
    })),
    perVersion: [],
    unzippedCodeSize: null,
    ...over,
  };
}

export const account = (over: Partial<AccountSettings> = {}): AccountSettings => ({
  region: "us-east-1",
  concurrentExecutions: 1000,
  unreservedConcurrentExecutions: 900,
  totalCodeSize: bytes(2 * 1024 * MiB),
  codeSizeLimit: bytes(75 * 1024 * MiB),
  codeSizeZipped: bytes(50 * MiB),
  codeSizeUnzipped: bytes(250 * MiB),
  functionCount: 40,
  ...over,
});

export function input(
  over: { config?: Partial<FunctionConfig>; observed?: Partial<FunctionObservations> } & Partial<
    Omit<AdvisorInput, "config" | "observed">
  > = {},
): AdvisorInput {
  const { config: c, observed: o, ...rest } = over;
  return {
    config: config(c),
    versions: [],
    aliases: [],
    provisionedConcurrency: [],
    reservedConcurrency: null,
    account: account(),
    observed: observations(o),
    ...rest,
  };
}

/** Per-day stats with a given share of timeouts/errors/throttles on every day. */
export function days(
  invocationsPerDay: number,
  share: { timeouts?: number; errors?: number; throttles?: number },
  n = 7,
): FunctionObservations["perDay"] {
  return Array.from({ length: n }, (_, i) => ({
    day: epochMs(NOW - (n - i) * DAY),
    invocations: invocationsPerDay,
    errors: Math.round(invocationsPerDay * (share.errors ?? 0)),
    throttles: Math.round(invocationsPerDay * (share.throttles ?? 0)),
    timeouts: Math.round(invocationsPerDay * (share.timeouts ?? 0)),
  }));
}
