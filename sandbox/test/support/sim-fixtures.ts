/** SimFunction fixtures for the simulator's tests: small, explicit, overridable. */
import type { FunctionVersion, SandboxAccount, SimFunction, VersionBehaviour } from "../../src/fleet/model";

export const NOW = Date.UTC(2026, 10, 23, 12, 0, 0); // a minute boundary
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

export function behaviour(over: Partial<VersionBehaviour> = {}): VersionBehaviour {
  return {
    durationMedianMs: 120,
    durationSigma: 0.3,
    errorRate: 0.002,
    timeoutRate: 0,
    oomRate: 0,
    memoryUsedMedianMb: 180,
    memoryUsedSigma: 0.05,
    initDurationMs: 300,
    downstream: [],
    ...over,
  };
}

export function version(v: string, over: Partial<FunctionVersion> = {}): FunctionVersion {
  return {
    version: v,
    description: `v${v}`,
    codeSha256: `sha-${v}`,
    codeSize: 1_000_000,
    runtime: "nodejs22.x",
    handler: "index.handler",
    memorySize: 256,
    timeout: 10,
    ephemeralStorage: 512,
    architecture: "arm64",
    environment: {},
    layers: [],
    lastModifiedMs: NOW - 30 * 24 * HOUR,
    revisionId: `rev-${v}`,
    behaviour: behaviour(),
    ...over,
  };
}

export function fn(over: Partial<SimFunction> = {}): SimFunction {
  return {
    name: "orders-api",
    region: "us-east-1",
    role: "arn:aws:iam::123456789012:role/orders-api",
    packageType: "Zip",
    logGroup: "/aws/lambda/orders-api",
    logFormat: "Text",
    tracing: "Active",
    snapStart: false,
    reservedConcurrency: null,
    latest: version("$LATEST"),
    versions: [],
    aliases: [],
    provisioned: [],
    tags: {},
    traffic: { peakPerMinute: 20, dailyDip: 0, burstChance: 0, burstFactor: 1, viaAlias: null },
    scenario: "healthy",
    createdMs: NOW - 60 * 24 * HOUR,
    seed: 42,
    ...over,
  };
}

/** A function invoked through alias `live` routing `primary` with `additional` at `weight` since `fromMs`. */
export function canary(
  weight: number,
  fromMs = NOW - 60 * 24 * HOUR,
  over: Partial<SimFunction> = {},
): SimFunction {
  const base = fn(over);
  return {
    ...base,
    versions: [version("1"), version("2")],
    aliases: [
      {
        name: "live",
        description: "",
        revisionId: "r1",
        history: [{ fromMs, functionVersion: "1", additional: weight > 0 ? { version: "2", weight } : null }],
      },
    ],
    traffic: { ...base.traffic, viaAlias: "live" },
  };
}

export function account(...fns: SimFunction[]): SandboxAccount {
  const regions: SandboxAccount["regions"] = new Map();
  for (const f of fns) {
    let r = regions.get(f.region);
    if (!r) {
      r = { region: f.region, accountConcurrency: 1000, functions: new Map() };
      regions.set(f.region, r);
    }
    r.functions.set(f.name, f);
  }
  return { accountId: "123456789012", seed: 7, regions };
}
