/**
 * Builds one healthy function: the baseline every planted scenario starts from.
 *
 * Invariants (the "healthy" contract the advisor tests rely on):
 * - runtime is current (HEALTHY_RUNTIMES); tracing Active; no provisioned concurrency;
 * - max memory used lands in 65–88% of configured (median 58–70%, tight sigma);
 * - timeout is an integer number of seconds in [3×, 10×] of the p99.9 duration and ≤ 60 s;
 * - error rate < 0.3%, no timeouts, no OOM; steady traffic ≥ 5/min at the daily trough;
 * - reserved concurrency, when set, is far above the expected concurrency (no throttles);
 * - env vars stay well under 1 KB.
 */
import {
  HANDLER_BY_FAMILY,
  HEALTHY_RUNTIMES,
  INIT_MS_BY_FAMILY,
  MEMORY_SIZES,
  MIN_MEMORY_BY_FAMILY,
  TEAMS,
  runtimeFamily,
} from "./catalog";
import type { DownstreamCall, FunctionVersion, SimFunction, VersionBehaviour } from "./model";
import { Rng, deriveSeed } from "./prng";

const MINUTE = 60_000;
const DAY = 86_400_000;
/** z-score of the 99.9th percentile of a normal distribution. */
const Z999 = 3.09;

export interface BuildContext {
  seed: number;
  accountId: string;
  region: string;
  nowMs: number;
  /** Functions per region; large fleets get lower traffic so simulating them stays cheap. */
  fleetSize: number;
}

export const alignMinute = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

export const functionArn = (ctx: Pick<BuildContext, "region" | "accountId">, name: string) =>
  `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${name}`;

/** p99.9 of a log-normal with this median and sigma. */
export const p999Ms = (b: Pick<VersionBehaviour, "durationMedianMs" | "durationSigma">) =>
  b.durationMedianMs * Math.exp(Z999 * b.durationSigma);

/** An integer timeout (s) between 3× and 10× the p99.9 duration, capped at 60 s. */
export function healthyTimeoutSeconds(rng: Rng, b: VersionBehaviour): number {
  const p999 = p999Ms(b) / 1000;
  const lo = Math.max(1, Math.ceil(3 * p999));
  const hi = Math.min(60, Math.floor(10 * p999));
  return rng.int(lo, Math.max(lo, hi));
}

function downstreamFor(rng: Rng, prefix: string, region: string, accountId: string): DownstreamCall[] {
  const calls: DownstreamCall[] = [];
  const n = rng.int(0, 3);
  const kinds = rng.shuffle(["dynamodb", "s3", "sqs", "http"] as const).slice(0, n);
  for (const kind of kinds) {
    const common = { medianMs: Math.round(rng.between(4, 40)), errorRate: 0.0005, throttleRate: 0 };
    if (kind === "dynamodb")
      calls.push({
        kind,
        resource: `${prefix}-table`,
        operation: rng.pick(["GetItem", "Query", "PutItem"]),
        ...common,
      });
    else if (kind === "s3")
      calls.push({
        kind,
        resource: `${prefix}-${accountId}-${region}`,
        operation: rng.pick(["GetObject", "PutObject"]),
        ...common,
      });
    else if (kind === "sqs")
      calls.push({ kind, resource: `${prefix}-queue`, operation: "SendMessage", ...common });
    else
      calls.push({
        kind,
        resource: `${prefix}.internal.example.com`,
        operation: rng.pick(["GET", "POST"]),
        ...common,
      });
  }
  return calls;
}

export function healthyBehaviour(
  rng: Rng,
  runtime: string,
  memorySize: number,
  downstream: DownstreamCall[],
) {
  const [initLo, initHi] = INIT_MS_BY_FAMILY[runtimeFamily(runtime)] ?? [100, 300];
  const behaviour: VersionBehaviour = {
    durationMedianMs: Math.round(rng.between(60, 900)),
    durationSigma: Number(rng.between(0.25, 0.45).toFixed(3)),
    errorRate: Number(rng.between(0.0005, 0.0025).toFixed(5)),
    timeoutRate: 0,
    oomRate: 0,
    memoryUsedMedianMb: Math.round(memorySize * rng.between(0.58, 0.7)),
    memoryUsedSigma: 0.04,
    initDurationMs: Math.round(rng.between(initLo, initHi)),
    downstream,
  };
  return behaviour;
}

/** A variation of a behaviour for another published version: same character, slightly different numbers. */
export function jitterBehaviour(rng: Rng, b: VersionBehaviour): VersionBehaviour {
  return {
    ...b,
    durationMedianMs: Math.round(b.durationMedianMs * rng.between(0.92, 1.05)),
    memoryUsedMedianMb: Math.round(b.memoryUsedMedianMb * rng.between(0.97, 1.02)),
    downstream: b.downstream.map((d) => ({ ...d })),
  };
}

const DESCRIPTIONS = [
  "initial release",
  "retry downstream timeouts",
  "structured logging",
  "upgrade SDK",
  "input validation",
  "batch writes",
  "cache warm-up",
  "reduce cold start",
  "fix pagination",
  "add metrics",
];

/**
 * Versions 1..count with config copied from `base`, increasing lastModified between createdMs and
 * `lastPublishedMs`, and $LATEST equal to the newest version (sometimes with unpublished newer code).
 */
export function buildVersions(
  rng: Rng,
  base: Omit<FunctionVersion, "version" | "description" | "codeSha256" | "lastModifiedMs" | "revisionId">,
  count: number,
  createdMs: number,
  lastPublishedMs: number,
  nowMs: number,
): { versions: FunctionVersion[]; latest: FunctionVersion } {
  const versions: FunctionVersion[] = [];
  const span = Math.max(MINUTE, lastPublishedMs - createdMs);
  for (let i = 1; i <= count; i++) {
    const at = count === 1 ? lastPublishedMs : createdMs + Math.round((span * (i - 1)) / (count - 1));
    versions.push({
      ...base,
      layers: base.layers.map((l) => ({ ...l })),
      environment: { ...base.environment },
      version: String(i),
      description: `v${i}: ${DESCRIPTIONS[(i - 1) % DESCRIPTIONS.length]}`,
      codeSha256: rng.sha256Base64(),
      codeSize: Math.round(base.codeSize * rng.between(0.95, 1.05)),
      lastModifiedMs: at,
      revisionId: rng.uuid(),
      behaviour: i === count ? base.behaviour : jitterBehaviour(rng, base.behaviour),
    });
  }
  const newest = versions[versions.length - 1] as FunctionVersion;
  const unpublished = rng.chance(0.2);
  const latest: FunctionVersion = {
    ...newest,
    version: "$LATEST",
    description: unpublished ? "work in progress" : newest.description,
    codeSha256: unpublished ? rng.sha256Base64() : newest.codeSha256,
    lastModifiedMs: unpublished ? alignMinute((lastPublishedMs + nowMs) / 2) : newest.lastModifiedMs,
    revisionId: rng.uuid(),
  };
  return { versions, latest };
}

export function buildHealthyFunction(ctx: BuildContext, name: string): SimFunction {
  const seed = deriveSeed(ctx.seed, `${ctx.region}/${name}`);
  const rng = new Rng(seed);
  const prefix = name.replace(/-[a-z]+(-\d+)?$/, "");
  const runtime = rng.pick(HEALTHY_RUNTIMES);
  const family = runtimeFamily(runtime);
  const minMemory = MIN_MEMORY_BY_FAMILY[family] ?? 128;
  const memorySize = rng.pick(MEMORY_SIZES.filter((m) => m >= minMemory));
  const behaviour = healthyBehaviour(
    rng,
    runtime,
    memorySize,
    downstreamFor(rng, prefix, ctx.region, ctx.accountId),
  );
  const timeout = healthyTimeoutSeconds(rng, behaviour);
  const architecture = rng.chance(0.4) ? "arm64" : "x86_64";
  const layers: FunctionVersion["layers"] = [];
  if (rng.chance(0.3))
    layers.push({
      arn: `arn:aws:lambda:${ctx.region}:${ctx.accountId}:layer:shared-utils:${rng.int(1, 30)}`,
      codeSize: rng.int(100_000, 5_000_000),
    });
  if (rng.chance(0.15))
    layers.push({
      arn: `arn:aws:lambda:${ctx.region}:580247275435:layer:LambdaInsightsExtension${architecture === "arm64" ? "-Arm64" : ""}:${rng.int(20, 53)}`,
      codeSize: rng.int(5_000_000, 9_000_000),
    });
  const environment: Record<string, string> = { LOG_LEVEL: rng.pick(["INFO", "WARN", "INFO"]) };
  if (behaviour.downstream.some((d) => d.kind === "dynamodb")) environment.TABLE_NAME = `${prefix}-table`;
  if (family === "nodejs") environment.NODE_OPTIONS = "--enable-source-maps";
  if (rng.chance(0.5)) environment.POWERTOOLS_SERVICE_NAME = name;
  const createdMs = alignMinute(ctx.nowMs - rng.int(20, 400) * DAY);
  const lastPublishedMs = alignMinute(ctx.nowMs - rng.int(1, 15) * DAY);
  const codeSize = rng.int(5_000, 15_000_000);
  const { versions, latest } = buildVersions(
    rng,
    {
      codeSize,
      codeSizeUnzipped:
        Math.round(codeSize * rng.between(2.5, 4)) + layers.reduce((s, l) => s + l.codeSize * 3, 0),
      runtime,
      handler: HANDLER_BY_FAMILY[family] ?? "index.handler",
      memorySize,
      timeout,
      ephemeralStorage: rng.chance(0.85) ? 512 : rng.pick([1024, 2048]),
      architecture,
      environment,
      layers,
      behaviour,
    },
    rng.int(1, 6),
    createdMs,
    lastPublishedMs,
    ctx.nowMs,
  );
  const newestVersion = versions[versions.length - 1]?.version ?? "$LATEST";
  const aliasNames = rng.chance(0.25) ? ["live", "beta"] : ["live"];
  const aliases = aliasNames.map((alias) => ({
    name: alias,
    description: alias === "live" ? "production traffic" : "pre-release testing",
    revisionId: rng.uuid(),
    history: [{ fromMs: createdMs, functionVersion: newestVersion, additional: null }],
  }));
  // Healthy traffic: trough = peak × (1 − dip) stays ≥ 5/min; large fleets are lower-traffic.
  const large = ctx.fleetSize > 200;
  // Kept modest so a 24 h Logs Insights scan of the whole default fleet stays interactive in the demo.
  const peakPerMinute = Math.round(large ? rng.between(10, 40) : rng.between(10, 45));
  const team = rng.pick(TEAMS);
  return {
    name,
    region: ctx.region,
    role: `arn:aws:iam::${ctx.accountId}:role/service-role/${name}-role-${rng.hex(8)}`,
    packageType: "Zip",
    logGroup: `/aws/lambda/${name}`,
    logFormat: "Text",
    tracing: "Active",
    snapStart: false,
    reservedConcurrency: rng.chance(0.15) ? rng.int(20, 100) : null,
    latest,
    versions,
    aliases,
    provisioned: [],
    tags: { team, service: prefix, env: "prod", "cost-center": `cc-${rng.int(100, 999)}` },
    traffic: {
      peakPerMinute,
      dailyDip: Number(rng.between(0.1, 0.5).toFixed(2)),
      burstChance: 0.01,
      burstFactor: 1.5,
      viaAlias: "live",
    },
    scenario: "healthy",
    createdMs,
    seed,
  };
}
