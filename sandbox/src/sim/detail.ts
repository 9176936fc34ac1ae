/**
 * Layer B of a minute: turns scheduled executions into Invocations (ids, cold starts, billing, memory, errors,
 * downstream spans).
 *
 * Invariants:
 * - Each invocation's details come from its own random stream (function seed, minute, arrival index), so they
 *   don't depend on which other invocations are built (a minute cut at `now` is a prefix of the full minute).
 * - Duration excludes init (as the Duration metric does). Billed duration is whole ms, rounded up; INIT is billed
 *   (billed = ceil(duration + init)) for cold starts of container images and custom runtimes always, and for
 *   every on-demand cold start since 2025-08-01, when AWS began billing INIT for ZIP functions on managed
 *   runtimes (https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/).
 *   Provisioned environments never show INIT on an invocation.
 * - Timeouts report duration = timeout × 1000 exactly; OOM kills report max memory used = memory size.
 * - Downstream spans lie within [0, duration] of the handler; they are laid out in sequence and compressed to
 *   fit, and on a timeout the last call hangs until the end.
 * - X-Ray sampling, tracing Active: the default rule's reservoir takes the first request of each second, then 5%
 *   of the rest; PassThrough functions are not sampled by Lambda.
 * - SnapStart: a cold start of a published version of a SnapStart function restores a snapshot instead of
 *   running INIT (initDurationMs null, restoreDurationMs set, drawn from the same random number so the stream
 *   stays aligned). Billed Duration leaves the restore out; Billed Restore Duration (the runtime load and the
 *   after-restore hooks, not the snapshot load) is billed apart, like INIT
 *   (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-monitoring.html).
 * - A function error's message carries ids drawn from the invocation's own stream (one draw, failures.ts), so
 *   the same site gives the same message shape with different ids, and nothing after it in the stream moves.
 */
import type { DownstreamCall, FunctionVersion, SimFunction } from "../fleet/model";
import { OOM_FAILURE, functionFailure, timeoutFailure } from "./failures";
import { Rng, hex8, uuidV4 } from "./random";
import { OUTCOMES, OUTCOME_OOM, OUTCOME_TIMEOUT } from "./schedule";
import type { DownstreamSpan, Invocation } from "./types";

export const INIT_BILLED_FOR_ALL_FROM_MS = Date.UTC(2025, 7, 1);
const SAMPLING_RATE = 0.05;
const INIT_SIGMA = 0.25;
/** Lambda's on-demand init phase is limited to 10 s. */
const INIT_LIMIT_MS = 10_000;

/** The longest init a version's cold start can take: draws are clamped at e^(4σ) × median (a 1-in-30,000 tail). */
export function initCeilingMs(cfg: FunctionVersion): number {
  return Math.min(INIT_LIMIT_MS, cfg.behaviour.initDurationMs * Math.exp(4 * INIT_SIGMA));
}
const SPAN_SIGMA = 0.35;
/** Share of a restore spent loading the runtime and running hooks: what Billed Restore Duration counts. */
const BILLED_RESTORE_SHARE = 0.6;

/** Whether a cold start of this version restores a SnapStart snapshot (published versions only). */
export const restoresSnapshot = (fn: SimFunction, version: string): boolean =>
  fn.snapStart && version !== "$LATEST";

/** What runs before the handler on a cold start: INIT or a SnapStart restore (0 when warm). */
export const preludeMs = (inv: Invocation): number => inv.initDurationMs ?? inv.restoreDurationMs ?? 0;

export function initIsBilled(fn: SimFunction, cfg: FunctionVersion, startMs: number): boolean {
  if (fn.packageType === "Image" || cfg.runtime === null || cfg.runtime.startsWith("provided")) return true;
  return startMs >= INIT_BILLED_FOR_ALL_FROM_MS;
}

/** Whole ms, rounded up, computed on hundredths so float noise (100.1 + 45.9) can't add a millisecond. */
export function billedMs(durationMs: number, initMs: number | null): number {
  return Math.ceil(Math.round((durationMs + (initMs ?? 0)) * 100) / 100);
}

export interface ScheduledExecution {
  startMs: number;
  version: string;
  alias: string | null;
  cfg: FunctionVersion;
  durationMs: number;
  outcome: number;
  environmentId: string;
  logStreamName: string;
  cold: boolean;
  sampled: boolean;
}

/** Sequential X-Ray reservoir state for one minute: the first request of each second is sampled. */
export class Sampler {
  private lastSecond = -1;

  constructor(private readonly active: boolean) {}

  sample(startMs: number, rng: Rng): boolean {
    const u = rng.next(); // drawn either way: keeps the invocation's stream independent of tracing mode
    if (!this.active) return false;
    const second = Math.floor(startMs / 1000);
    if (second !== this.lastSecond) {
      this.lastSecond = second;
      return true;
    }
    return u < SAMPLING_RATE;
  }
}

export function buildInvocation(fn: SimFunction, x: ScheduledExecution, rng: Rng): Invocation {
  const requestId = uuidV4(rng);
  const traceId = `1-${hex8(Math.floor(x.startMs / 1000))}-${rng.hex(24)}`;
  const segmentId = rng.hex(16);
  const b = x.cfg.behaviour;
  const restore = x.cold && restoresSnapshot(fn, x.version);
  const coldMs = x.cold
    ? round2(
        Math.min(
          initCeilingMs(x.cfg),
          rng.logNormal(restore ? (b.restoreDurationMs ?? b.initDurationMs) : b.initDurationMs, INIT_SIGMA),
        ),
      )
    : null;
  const initDurationMs = restore ? null : coldMs;
  const restoreDurationMs = restore ? coldMs : null;
  const outcome = OUTCOMES[x.outcome]!;
  const memorySizeMb = x.cfg.memorySize;
  const used = Math.round(rng.logNormal(b.memoryUsedMedianMb, b.memoryUsedSigma));
  const maxMemoryUsedMb =
    x.outcome === OUTCOME_OOM ? memorySizeMb : Math.min(memorySizeMb, Math.max(1, used));
  const failure =
    x.outcome === OUTCOME_TIMEOUT
      ? timeoutFailure(x.cfg.timeout)
      : x.outcome === OUTCOME_OOM
        ? OOM_FAILURE
        : outcome === "error"
          ? functionFailure(x.cfg.runtime, rng, b.dominantFailure)
          : null;
  return {
    requestId,
    traceId,
    segmentId,
    sampled: x.sampled,
    functionName: fn.name,
    region: fn.region,
    version: x.version,
    alias: x.alias,
    startMs: x.startMs,
    initDurationMs,
    ...(fn.snapStart
      ? {
          restoreDurationMs,
          billedRestoreDurationMs:
            restoreDurationMs === null ? null : Math.ceil(round2(restoreDurationMs * BILLED_RESTORE_SHARE)),
        }
      : {}),
    durationMs: x.durationMs,
    billedDurationMs: billedMs(
      x.durationMs,
      initDurationMs !== null && initIsBilled(fn, x.cfg, x.startMs) ? initDurationMs : null,
    ),
    memorySizeMb,
    maxMemoryUsedMb,
    outcome,
    errorType: failure?.errorType ?? null,
    errorMessage: failure?.errorMessage ?? null,
    environmentId: x.environmentId,
    logStreamName: x.logStreamName,
    downstream: spans(b.downstream, x.durationMs, outcome, rng),
  };
}

function spans(calls: DownstreamCall[], durationMs: number, outcome: string, rng: Rng): DownstreamSpan[] {
  if (calls.length === 0) return [];
  const lead = durationMs * (0.01 + 0.02 * rng.next());
  const gap = (durationMs * 0.02) / calls.length;
  const raw = calls.map((c) => rng.logNormal(c.medianMs, SPAN_SIGMA));
  const needed = raw.reduce((s, d) => s + d + gap, 0);
  const room = durationMs * 0.95 - lead;
  const scale = needed > room ? room / needed : 1;
  let at = lead;
  return calls.map((c, i) => {
    const u = rng.next();
    let status: DownstreamSpan["outcome"] = "ok";
    if (u < c.throttleRate) status = "throttle";
    else if (u < c.throttleRate + c.errorRate) status = rng.next() < 0.7 ? "error" : "fault";
    const last = i === calls.length - 1;
    // A failed invocation often fails because of its last call; a timed-out one usually hangs in it.
    if (last && outcome === "error" && status === "ok" && rng.next() < 0.5) status = "fault";
    let d = raw[i]! * scale;
    if (last && outcome === "timeout") d = Math.max(d, durationMs - at - 0.01);
    const span: DownstreamSpan = {
      kind: c.kind,
      resource: c.resource,
      operation: c.operation,
      offsetMs: round2(at),
      durationMs: round2(Math.min(d, durationMs - at)),
      outcome: status,
      httpStatus: httpStatus(c.kind, status),
    };
    at += d + gap * scale;
    return span;
  });
}

function httpStatus(kind: DownstreamCall["kind"], outcome: DownstreamSpan["outcome"]): number {
  switch (outcome) {
    case "ok":
      return 200;
    case "error":
      return kind === "s3" ? 404 : 400;
    case "fault":
      return kind === "http" ? 502 : 500;
    case "throttle":
      // DynamoDB and SQS signal throttling with 400 (ProvisionedThroughputExceeded / RequestThrottled), S3 with 503 SlowDown.
      return kind === "s3" ? 503 : kind === "http" ? 429 : 400;
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
