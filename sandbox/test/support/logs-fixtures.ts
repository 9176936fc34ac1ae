/** Hand-built functions, invocations and a fixed simulator for the sandbox's CloudWatch Logs tests. */
import type { FunctionVersion, SandboxAccount, SimFunction } from "../../src/fleet/model";
import type { SandboxContext, SandboxRequest } from "../../src/http/types";
import type { Invocation, MinuteRecord, Simulator } from "../../src/sim/types";

export const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
export const MINUTE = 60_000;
export const ACCOUNT = "123456789012";

export function version(v: string, over: Partial<FunctionVersion> = {}): FunctionVersion {
  return {
    version: v,
    description: "",
    codeSha256: "sha",
    codeSize: 1000,
    runtime: "nodejs22.x",
    handler: "index.handler",
    memorySize: 128,
    timeout: 10,
    ephemeralStorage: 512,
    architecture: "arm64",
    environment: {},
    layers: [],
    lastModifiedMs: NOW - 86_400_000,
    revisionId: "r",
    behaviour: {
      durationMedianMs: 100,
      durationSigma: 0.2,
      errorRate: 0,
      timeoutRate: 0,
      oomRate: 0,
      memoryUsedMedianMb: 70,
      memoryUsedSigma: 0.1,
      initDurationMs: 150,
      downstream: [],
    },
    ...over,
  };
}

export function simFn(over: Partial<SimFunction> = {}): SimFunction {
  return {
    name: "orders-api",
    region: "us-east-1",
    role: "arn:aws:iam::123456789012:role/r",
    packageType: "Zip",
    logGroup: "/aws/lambda/orders-api",
    logFormat: "Text",
    tracing: "Active",
    snapStart: false,
    reservedConcurrency: null,
    latest: version("$LATEST"),
    versions: [version("3")],
    aliases: [],
    provisioned: [],
    tags: {},
    traffic: { peakPerMinute: 10, dailyDip: 0, burstChance: 0, burstFactor: 1, viaAlias: null },
    scenario: "healthy",
    createdMs: NOW - 3 * 86_400_000,
    seed: 1,
    ...over,
  };
}

let counter = 0;
export function inv(over: Partial<Invocation> = {}): Invocation {
  counter++;
  const hex = counter.toString(16).padStart(12, "0");
  return {
    requestId: `8fc6f963-411b-48b5-8483-${hex}`,
    traceId: `1-6921f6a0-59b3c6d959653c527fd1${counter.toString(16).padStart(4, "0")}`,
    segmentId: `107ea78a5750${counter.toString(16).padStart(4, "0")}`,
    sampled: true,
    functionName: "orders-api",
    region: "us-east-1",
    version: "3",
    alias: "live",
    startMs: NOW - 30 * MINUTE,
    initDurationMs: null,
    durationMs: 102.25,
    billedDurationMs: 103,
    memorySizeMb: 128,
    maxMemoryUsedMb: 70,
    outcome: "success",
    errorType: null,
    errorMessage: null,
    environmentId: "0123456789abcdef0123456789abcdef",
    logStreamName: "2026/11/23/[3]0123456789abcdef0123456789abcdef",
    downstream: [],
    ...over,
  };
}

/** A simulator over a fixed list of invocations per function name. */
export function fixedSim(byFn: Record<string, Invocation[]>, now = NOW): Simulator {
  const minute = (f: SimFunction, minuteMs: number): MinuteRecord => ({
    minuteMs,
    invocations: (byFn[f.name] ?? [])
      .filter((i) => Math.floor(i.startMs / MINUTE) * MINUTE === minuteMs)
      .sort((a, b) => a.startMs - b.startMs),
    throttles: 0,
    concurrency: 1,
    provisionedConcurrency: 0,
    provisionedSpillover: 0,
  });
  return {
    minute,
    minutes: (f, fromMs, toMs) => {
      const out: MinuteRecord[] = [];
      for (let m = Math.floor(fromMs / MINUTE) * MINUTE; m < Math.min(toMs, now); m += MINUTE)
        out.push(minute(f, m));
      return out;
    },
  };
}

export function context(fns: SimFunction[], byFn: Record<string, Invocation[]>, now = NOW): SandboxContext {
  const account: SandboxAccount = {
    accountId: ACCOUNT,
    seed: 1,
    regions: new Map([
      [
        "us-east-1",
        { region: "us-east-1", accountConcurrency: 1000, functions: new Map(fns.map((f) => [f.name, f])) },
      ],
    ]),
  };
  return { account, now: () => now, sim: fixedSim(byFn, now) };
}

export function request(op: string, body: unknown): SandboxRequest {
  return {
    method: "POST",
    path: "/",
    query: new URLSearchParams(),
    headers: { "x-amz-target": `Logs_20140328.${op}`, "content-type": "application/x-amz-json-1.1" },
    body: Buffer.from(JSON.stringify(body)),
    region: "us-east-1",
    service: "logs",
  };
}
