/**
 * Hand-built ground truth for the sandbox's CloudWatch tests: a tiny account and a simulator that serves fixed
 * MinuteRecords, so every expected number in the tests can be worked out by hand.
 */
import type { RegionState, SandboxAccount, SimFunction } from "../../src/fleet/model";
import type { SandboxContext, SandboxRequest } from "../../src/http/types";
import type { Invocation, MinuteRecord, Outcome, Simulator } from "../../src/sim/types";

export const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
export const MIN = 60_000;

export function fn(name: string, over: Partial<SimFunction> = {}): SimFunction {
  return {
    name,
    region: "us-east-1",
    reservedConcurrency: null,
    provisioned: [],
    aliases: [],
    createdMs: NOW - 30 * 86_400_000,
    traffic: { peakPerMinute: 10, dailyDip: 0, burstChance: 0, burstFactor: 1, viaAlias: null },
    latest: { timeout: 30 },
    ...over,
  } as SimFunction;
}

let seq = 0;
export function inv(
  functionName: string,
  startMs: number,
  durationMs: number,
  opts: { outcome?: Outcome; alias?: string | null; version?: string } = {},
): Invocation {
  seq++;
  return {
    requestId: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
    traceId: "1-00000000-000000000000000000000000",
    segmentId: "0000000000000000",
    sampled: false,
    functionName,
    region: "us-east-1",
    version: opts.version ?? "$LATEST",
    alias: opts.alias ?? null,
    startMs,
    initDurationMs: null,
    durationMs,
    billedDurationMs: Math.ceil(durationMs),
    memorySizeMb: 128,
    maxMemoryUsedMb: 64,
    outcome: opts.outcome ?? "success",
    errorType: null,
    errorMessage: null,
    environmentId: "0".repeat(32),
    logStreamName: "2026/11/23/[$LATEST]0",
    downstream: [],
  };
}

export function minute(
  minuteMs: number,
  invocations: Invocation[],
  over: Partial<MinuteRecord> = {},
): MinuteRecord {
  return {
    minuteMs,
    invocations,
    throttles: 0,
    concurrency: invocations.length > 0 ? 1 : 0,
    provisionedConcurrency: 0,
    provisionedSpillover: 0,
    ...over,
  };
}

/** A simulator over fixed records (missing minutes are idle), capped at `now` like the real one. */
export function fixedSim(records: Map<string, MinuteRecord[]>, now = NOW): Simulator & { calls: number } {
  const sim = {
    calls: 0,
    minute(f: SimFunction, minuteMs: number): MinuteRecord {
      return records.get(f.name)?.find((r) => r.minuteMs === minuteMs) ?? minute(minuteMs, []);
    },
    minutes(f: SimFunction, fromMs: number, toMs: number): MinuteRecord[] {
      sim.calls++;
      const out: MinuteRecord[] = [];
      const end = Math.min(toMs, now);
      for (let m = Math.floor(fromMs / MIN) * MIN; m < end; m += MIN) out.push(sim.minute(f, m));
      return out;
    },
  };
  return sim;
}

export function account(functions: SimFunction[]): SandboxAccount {
  const region: RegionState = {
    region: "us-east-1",
    accountConcurrency: 1000,
    functions: new Map(functions.map((f) => [f.name, f])),
  };
  return { accountId: "123456789012", seed: 1, regions: new Map([["us-east-1", region]]) };
}

export function context(functions: SimFunction[], records: Map<string, MinuteRecord[]>): SandboxContext {
  return { account: account(functions), now: () => NOW, sim: fixedSim(records) };
}

export function request(target: string, body: unknown, headers: Record<string, string> = {}): SandboxRequest {
  return {
    method: "POST",
    path: "/",
    query: new URLSearchParams(),
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `GraniteServiceVersion20100801.${target}`,
      ...headers,
    },
    body: Buffer.from(typeof body === "string" ? body : JSON.stringify(body)),
    region: "us-east-1",
    service: "monitoring",
  };
}

export const sec = (ms: number) => ms / 1000;
