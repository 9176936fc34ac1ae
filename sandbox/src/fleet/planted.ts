/**
 * The planted functions: each starts as a healthy function and is bent into one scenario the console must
 * find. Names, regions and key numbers are shared with the whole team (sandbox/README.md) — change them
 * only together with the simulator, advisor and browser tests.
 *
 * Invariants: provisioned concurrency never sits on an alias with routing weights; a mid-shift alias has
 * exactly two history entries (initial at createdMs, the shift at a later minute); planted functions exist at
 * every fleet size ≥ 20 (the generator places them first).
 */
import { HANDLER_BY_FAMILY, INIT_MS_BY_FAMILY, runtimeFamily } from "./catalog";
import { alignMinute, buildVersions, type BuildContext } from "./healthy";
import type { Alias, FunctionVersion, Scenario, SimFunction, VersionBehaviour } from "./model";
import { Rng, deriveSeed } from "./prng";
import { HIGH_COLD_START_TRAFFIC } from "../sim/scenarios";
import { associateWithCloudFront } from "./edge";

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const MiB = 1024 * 1024;

export interface PlantedSpec {
  name: string;
  region: string;
  scenario: Scenario;
  bend(fn: SimFunction, ctx: BuildContext, rng: Rng): void;
}

interface Rebuild {
  runtime?: string;
  memorySize?: number;
  timeout?: number;
  architecture?: FunctionVersion["architecture"];
  behaviour?: Partial<VersionBehaviour>;
  count?: number;
  codeSize?: number;
  codeSizeUnzipped?: number;
  layers?: FunctionVersion["layers"];
  lastPublishedMs?: number;
}

/** Regenerates the versions with new configuration, keeping everything else about the function. */
function rebuild(fn: SimFunction, ctx: BuildContext, rng: Rng, r: Rebuild): void {
  const base = fn.latest;
  const runtime = r.runtime ?? base.runtime;
  const memorySize = r.memorySize ?? base.memorySize;
  // Keep the healthy proportions the caller did not override: memory used scales with memory size,
  // init follows the runtime family.
  const derived: Partial<VersionBehaviour> = {
    memoryUsedMedianMb: Math.round((base.behaviour.memoryUsedMedianMb * memorySize) / base.memorySize),
  };
  if (runtimeFamily(runtime) !== runtimeFamily(base.runtime)) {
    const [lo, hi] = INIT_MS_BY_FAMILY[runtimeFamily(runtime)] ?? [100, 300];
    derived.initDurationMs = Math.round((lo + hi) / 2);
  }
  const { versions, latest } = buildVersions(
    rng,
    {
      codeSize: r.codeSize ?? base.codeSize,
      codeSizeUnzipped: r.codeSizeUnzipped ?? base.codeSizeUnzipped,
      runtime,
      handler: HANDLER_BY_FAMILY[runtimeFamily(runtime)] ?? base.handler,
      memorySize,
      timeout: r.timeout ?? base.timeout,
      ephemeralStorage: base.ephemeralStorage,
      architecture: r.architecture ?? base.architecture,
      environment: base.environment,
      layers: r.layers ?? base.layers,
      behaviour: { ...base.behaviour, ...derived, ...r.behaviour },
    },
    r.count ?? fn.versions.length,
    fn.createdMs,
    r.lastPublishedMs ?? fn.versions[fn.versions.length - 1]?.lastModifiedMs ?? fn.createdMs,
    ctx.nowMs,
  );
  fn.versions = versions;
  fn.latest = latest;
  for (const alias of fn.aliases)
    alias.history = [{ fromMs: fn.createdMs, functionVersion: String(versions.length), additional: null }];
}

function version(fn: SimFunction, v: string): FunctionVersion {
  const found = fn.versions.find((x) => x.version === v);
  if (!found) throw new Error(`planted ${fn.name}: no version ${v}`);
  return found;
}

/** Points `aliasName` at `primary`, shifting `weight` to `additional` from `shiftMs` on. */
function midShift(
  fn: SimFunction,
  rng: Rng,
  aliasName: string,
  primary: string,
  additional: string,
  weight: number,
  shiftMs: number,
) {
  const alias: Alias = {
    name: aliasName,
    description: aliasName === "live" ? "production traffic" : "pre-release testing",
    revisionId: rng.uuid(),
    history: [
      { fromMs: fn.createdMs, functionVersion: primary, additional: null },
      { fromMs: alignMinute(shiftMs), functionVersion: primary, additional: { version: additional, weight } },
    ],
  };
  fn.aliases = [...fn.aliases.filter((a) => a.name !== aliasName), alias].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
}

function steady(fn: SimFunction, peakPerMinute: number, dailyDip = 0.3) {
  fn.traffic = { ...fn.traffic, peakPerMinute, dailyDip, burstChance: 0, burstFactor: 1 };
}

export const PLANTED: readonly PlantedSpec[] = [
  {
    name: "image-resizer",
    region: "us-east-1",
    scenario: "memory-overprovisioned",
    bend(fn, ctx, rng) {
      rebuild(fn, ctx, rng, {
        runtime: "nodejs22.x",
        architecture: "x86_64",
        memorySize: 3008,
        timeout: 30,
        behaviour: {
          durationMedianMs: 900,
          durationSigma: 0.3,
          memoryUsedMedianMb: 385,
          memoryUsedSigma: 0.035,
        },
      });
      steady(fn, 20, 0);
    },
  },
  {
    name: "report-generator",
    region: "us-east-1",
    scenario: "duration-near-timeout",
    bend(fn, ctx, rng) {
      // log-normal median 24.9 s, sigma 0.05 → p99 ≈ 28 s; a few explicit timeouts (< 0.5%).
      rebuild(fn, ctx, rng, {
        runtime: "python3.12",
        memorySize: 1024,
        timeout: 30,
        behaviour: {
          durationMedianMs: 24_900,
          durationSigma: 0.05,
          timeoutRate: 0.002,
          memoryUsedMedianMb: 700,
        },
      });
      steady(fn, 6, 0.5);
    },
  },
  {
    name: "legacy-sync",
    region: "us-east-1",
    scenario: "regular-timeouts",
    bend(fn, ctx, rng) {
      rebuild(fn, ctx, rng, {
        runtime: "python3.12",
        memorySize: 512,
        timeout: 10,
        behaviour: {
          durationMedianMs: 3000,
          durationSigma: 0.35,
          timeoutRate: 0.12,
          memoryUsedMedianMb: 330,
        },
      });
      steady(fn, 10, 0.3);
    },
  },
  {
    name: "pdf-renderer",
    region: "us-east-1",
    scenario: "memory-near-limit-oom",
    bend(fn, ctx, rng) {
      rebuild(fn, ctx, rng, {
        runtime: "nodejs22.x",
        memorySize: 512,
        timeout: 30,
        behaviour: {
          durationMedianMs: 1800,
          durationSigma: 0.35,
          memoryUsedMedianMb: 499,
          memoryUsedSigma: 0.015,
          oomRate: 0.02,
        },
      });
      steady(fn, 15, 0.3);
    },
  },
  {
    name: "webhook-ingest",
    region: "us-east-1",
    scenario: "throttled-at-reserved",
    bend(fn, ctx, rng) {
      // ~1 concurrent normally; bursts ×8 push it to ~10, twice the reserved 5.
      rebuild(fn, ctx, rng, { timeout: 15, behaviour: { durationMedianMs: 2500, durationSigma: 0.3 } });
      fn.reservedConcurrency = 5;
      fn.traffic = { ...fn.traffic, peakPerMinute: 30, dailyDip: 0.3, burstChance: 0.12, burstFactor: 8 };
    },
  },
  {
    name: "checkout-api",
    region: "us-east-1",
    scenario: "provisioned-idle",
    bend(fn, ctx, rng) {
      // 200/min × 1.2 s ≈ 4 concurrent at peak against 50 provisioned.
      rebuild(fn, ctx, rng, {
        runtime: "nodejs22.x",
        memorySize: 1024,
        timeout: 10,
        behaviour: { durationMedianMs: 1200, durationSigma: 0.3 },
      });
      fn.aliases = fn.aliases.filter((a) => a.name === "live");
      fn.provisioned = [{ qualifier: "live", requested: 50 }];
      steady(fn, 200, 0.4);
    },
  },
  {
    name: "search-api",
    region: "us-east-1",
    scenario: "provisioned-spillover",
    bend(fn, ctx, rng) {
      // 200/min × 2.8 s ≈ 9–10 concurrent against 2 provisioned.
      rebuild(fn, ctx, rng, { timeout: 15, behaviour: { durationMedianMs: 2800, durationSigma: 0.3 } });
      fn.aliases = fn.aliases.filter((a) => a.name === "live");
      fn.provisioned = [{ qualifier: "live", requested: 2 }];
      steady(fn, 200, 0.2);
    },
  },
  {
    name: "notify-sms",
    region: "us-east-1",
    scenario: "high-cold-start",
    bend(fn, ctx, rng) {
      rebuild(fn, ctx, rng, {
        runtime: "java21",
        memorySize: 1024,
        timeout: 15,
        behaviour: {
          durationMedianMs: 400,
          durationSigma: 0.35,
          initDurationMs: 2200,
          memoryUsedMedianMb: 640,
        },
      });
      // Near-idle with frequent large bursts: environments are reclaimed between them (20–40% cold).
      fn.traffic = { ...fn.traffic, ...HIGH_COLD_START_TRAFFIC };
    },
  },
  {
    name: "payments-api",
    region: "us-east-1",
    scenario: "failing-canary",
    bend(fn, ctx, rng) {
      rebuild(fn, ctx, rng, {
        runtime: "nodejs22.x",
        memorySize: 1024,
        timeout: 10,
        count: 8,
        lastPublishedMs: alignMinute(ctx.nowMs - 4 * HOUR),
        behaviour: {
          durationMedianMs: 320,
          durationSigma: 0.3,
          errorRate: 0.002,
          downstream: [
            {
              kind: "http",
              resource: "api.stripe.com",
              operation: "POST",
              medianMs: 180,
              errorRate: 0.001,
              throttleRate: 0,
            },
            {
              kind: "dynamodb",
              resource: "payments-table",
              operation: "PutItem",
              medianMs: 8,
              errorRate: 0.0005,
              throttleRate: 0,
            },
          ],
        },
      });
      version(fn, "7").behaviour.errorRate = 0.002;
      version(fn, "8").behaviour.errorRate = 0.15;
      fn.latest.behaviour = { ...version(fn, "8").behaviour };
      // The canary mostly declines cards, an error no other version has (set after $LATEST's copy, so only 8 does).
      version(fn, "8").behaviour.dominantFailure = { errorType: "PaymentDeclinedError", share: 0.9 };
      midShift(fn, rng, "live", "7", "8", 0.3, ctx.nowMs - 3 * HOUR);
      steady(fn, 60, 0.4);
      fn.traffic.viaAlias = "live";
    },
  },
  {
    name: "invoice-legacy",
    region: "us-east-1",
    scenario: "deprecated-runtime",
    bend(fn, ctx, rng) {
      rebuild(fn, ctx, rng, {
        runtime: "python3.8",
        memorySize: 256,
        behaviour: { memoryUsedMedianMb: 160 },
      });
      fn.tracing = "PassThrough";
    },
  },
  {
    name: "ml-inference",
    region: "us-east-1",
    scenario: "code-size-near-limit",
    bend(fn, ctx, rng) {
      rebuild(fn, ctx, rng, {
        runtime: "python3.12",
        architecture: "x86_64",
        memorySize: 3008,
        timeout: 60,
        codeSize: 48 * MiB,
        codeSizeUnzipped: 240 * MiB,
        layers: [
          {
            arn: `arn:aws:lambda:${ctx.region}:${ctx.accountId}:layer:ml-runtime-deps:7`,
            codeSize: 21 * MiB,
          },
        ],
        behaviour: {
          durationMedianMs: 2400,
          durationSigma: 0.3,
          initDurationMs: 4200,
          // SnapStart restores the loaded model instead of a 4.2 s INIT.
          restoreDurationMs: 650,
          memoryUsedMedianMb: 1900,
        },
      });
      // keep the planted size exact: buildVersions jitters codeSize by ±5%
      for (const v of [...fn.versions, fn.latest]) v.codeSize = 48 * MiB;
      // SnapStart on published versions (Python 3.12+; AWS refuses it above 512 MB of /tmp).
      fn.snapStart = true;
      for (const v of [...fn.versions, fn.latest]) v.ephemeralStorage = 512;
      steady(fn, 8, 0.4);
    },
  },
  {
    name: "orders-api",
    region: "us-east-1",
    scenario: "healthy",
    bend(fn, ctx, rng) {
      rebuild(fn, ctx, rng, { count: 13, lastPublishedMs: alignMinute(ctx.nowMs - 2 * HOUR) });
      midShift(fn, rng, "live", "12", "13", 0.1, ctx.nowMs - 45 * MIN);
      fn.traffic.viaAlias = "live";
    },
  },
  {
    name: "user-profile",
    region: "us-east-1",
    scenario: "healthy",
    bend(fn, ctx, rng) {
      rebuild(fn, ctx, rng, { count: 5, lastPublishedMs: alignMinute(ctx.nowMs - 1 * DAY) });
      fn.aliases = [
        {
          name: "live",
          description: "production traffic",
          revisionId: rng.uuid(),
          history: [{ fromMs: fn.createdMs, functionVersion: "4", additional: null }],
        },
      ];
      midShift(fn, rng, "beta", "4", "5", 0.5, ctx.nowMs - 90 * MIN);
      // Traffic goes through `beta` so the half-way shift is visible in the telemetry.
      fn.traffic.viaAlias = "beta";
    },
  },
  {
    name: "gdpr-export",
    region: "eu-west-1",
    scenario: "deprecated-runtime",
    bend(fn, ctx, rng) {
      rebuild(fn, ctx, rng, {
        runtime: "nodejs16.x",
        memorySize: 512,
        behaviour: { memoryUsedMedianMb: 320 },
      });
    },
  },
  {
    name: "audit-trail",
    region: "us-east-1",
    scenario: "healthy",
    bend(fn) {
      fn.logGroup = "/custom/audit-trail";
      fn.logFormat = "JSON";
      // Its code logs a handled error (Powertools `level: ERROR`) on a few requests and carries on.
      for (const v of [...fn.versions, fn.latest]) v.behaviour = { ...v.behaviour, loggedErrorRate: 0.04 };
    },
  },
  // Trigger scenarios (their triggers are in fleet/triggers.ts). Healthy in behaviour: no other rule fires.
  {
    name: "clickstream-consumer",
    region: "us-east-1",
    scenario: "stream-consumer-lagging",
    bend() {},
  },
  {
    name: "email-sender",
    region: "us-east-1",
    scenario: "sqs-visibility-timeout-short",
    bend(fn) {
      // 60 s, against the queue's 30 s visibility timeout (AWS advises ≥ 6 × the timeout).
      for (const v of [...fn.versions, fn.latest]) v.timeout = 60;
    },
  },
  {
    name: "thumbnail-async",
    region: "us-east-1",
    scenario: "async-events-dropped",
    bend() {},
  },
  // Lambda@Edge (fleet/edge.ts): a viewer-request function within Edge's limits (128 MB, 5 s, x86_64, no
  // environment variables, no layers). CloudFront invokes only its replicas, so the function itself is idle.
  {
    name: "edge-rewriter",
    region: "us-east-1",
    scenario: "lambda-edge",
    bend(fn, ctx, rng) {
      fn.latest = { ...fn.latest, environment: {}, layers: [], ephemeralStorage: 512 };
      rebuild(fn, ctx, rng, {
        runtime: "nodejs22.x",
        memorySize: 128,
        timeout: 5,
        architecture: "x86_64",
        layers: [],
        count: 3,
        codeSize: 420_000,
        codeSizeUnzipped: 1_300_000,
        lastPublishedMs: alignMinute(ctx.nowMs - 12 * DAY),
        behaviour: {
          durationMedianMs: 6,
          durationSigma: 0.5,
          errorRate: 0,
          timeoutRate: 0,
          oomRate: 0,
          memoryUsedMedianMb: 64,
          memoryUsedSigma: 0.05,
          downstream: [],
        },
      });
      fn.tracing = "PassThrough";
      fn.reservedConcurrency = null;
      fn.provisioned = [];
      fn.traffic = { ...fn.traffic, peakPerMinute: 0, burstChance: 0, burstFactor: 1 };
      associateWithCloudFront(fn, ctx.accountId, ctx.nowMs, rng, "3");
    },
  },
];

export const PLANTED_NAMES: ReadonlySet<string> = new Set(PLANTED.map((p) => p.name));

/** The planted functions for a region, in table order. */
export const plantedFor = (region: string) => PLANTED.filter((p) => p.region === region);

export const plantedRng = (ctx: BuildContext, name: string) =>
  new Rng(deriveSeed(ctx.seed, `planted/${ctx.region}/${name}`));
