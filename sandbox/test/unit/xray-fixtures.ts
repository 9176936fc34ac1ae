/** Hand-built SimFunction / Invocation fixtures for the X-Ray unit tests (no simulator needed). */
import type { FunctionVersion, SimFunction } from "../../src/fleet/model";
import type { Invocation, MinuteRecord } from "../../src/sim/types";

export const ACCOUNT = "123456789012";

function version(v: string, runtime = "nodejs22.x"): FunctionVersion {
  return {
    version: v,
    description: "",
    codeSha256: "x",
    codeSize: 1000,
    runtime,
    handler: "index.handler",
    memorySize: 512,
    timeout: 10,
    ephemeralStorage: 512,
    architecture: "arm64",
    environment: {},
    layers: [],
    lastModifiedMs: 0,
    revisionId: "r",
    behaviour: {
      durationMedianMs: 100,
      durationSigma: 0.3,
      errorRate: 0,
      timeoutRate: 0,
      oomRate: 0,
      memoryUsedMedianMb: 100,
      memoryUsedSigma: 0.1,
      initDurationMs: 300,
      downstream: [],
    },
  };
}

export function simFunction(name = "payments-api", region = "us-east-1"): SimFunction {
  return {
    name,
    region,
    role: `arn:aws:iam::${ACCOUNT}:role/r`,
    packageType: "Zip",
    logGroup: `/aws/lambda/${name}`,
    logFormat: "Text",
    tracing: "Active",
    snapStart: false,
    reservedConcurrency: null,
    latest: version("$LATEST"),
    versions: [version("7"), version("8", "python3.12")],
    aliases: [],
    provisioned: [],
    tags: {},
    traffic: { peakPerMinute: 10, dailyDip: 0, burstChance: 0, burstFactor: 1, viaAlias: "live" },
    scenario: "failing-canary",
    createdMs: 0,
    seed: 1,
  };
}

const START_MS = Date.UTC(2026, 0, 15, 10, 30, 12, 345);

export function invocation(over: Partial<Invocation> = {}): Invocation {
  const startMs = over.startMs ?? START_MS;
  return {
    requestId: "6f1c1b2e-8a3d-4c1e-9f5a-0b1c2d3e4f50",
    traceId: `1-${Math.floor(startMs / 1000).toString(16)}-0123456789abcdef01234567`,
    segmentId: "a1b2c3d4e5f60718",
    sampled: true,
    functionName: "payments-api",
    region: "us-east-1",
    version: "7",
    alias: "live",
    startMs,
    initDurationMs: null,
    durationMs: 102.25,
    billedDurationMs: 103,
    memorySizeMb: 512,
    maxMemoryUsedMb: 90,
    outcome: "success",
    errorType: null,
    errorMessage: null,
    environmentId: "0123456789abcdef0123456789abcdef",
    logStreamName: "2026/01/15/[7]0123456789abcdef0123456789abcdef",
    downstream: [],
    ...over,
  };
}

export function minuteOf(invocations: Invocation[]): MinuteRecord {
  const first = invocations[0];
  const minuteMs = first ? Math.floor(first.startMs / 60_000) * 60_000 : 0;
  return {
    minuteMs,
    invocations,
    throttles: 0,
    concurrency: 1,
    provisionedConcurrency: 0,
    provisionedSpillover: 0,
  };
}
