/**
 * Triggers: what invokes each function (event source mappings Lambda polls, services allowed to push by the
 * resource policy, a function URL) and what happens to its async events (event invoke config, DLQ, recursion).
 *
 * Invariants: draws come from their own stream (`triggers/<region>/<name>`), so triggers never shift a
 * function's other random facts; planted functions get exactly the triggers listed in sandbox/README.md;
 * healthy functions mostly have none, a few polling consumers read an SQS queue with sane settings
 * (visibility timeout ≥ 6 × the function timeout, partial batch responses on).
 */
import { alignMinute, type BuildContext } from "./healthy";
import type { EventSourceMapping, PushSource, QueueMapping, SimFunction, StreamMapping } from "./model";
import { Rng, deriveSeed } from "./prng";

const HOUR = 3_600_000;
const DAY = 86_400_000;

type Plant = (fn: SimFunction, ctx: BuildContext, rng: Rng) => void;

const sqsArn = (ctx: BuildContext, queue: string) => `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${queue}`;

/** When a trigger was last changed: a whole minute, 2–60 days ago and not before the function existed. */
const changedAt = (fn: SimFunction, ctx: BuildContext, rng: Rng) =>
  alignMinute(Math.max(fn.createdMs, ctx.nowMs - rng.int(2, 60) * DAY));

function queueMapping(
  fn: SimFunction,
  ctx: BuildContext,
  rng: Rng,
  m: Partial<QueueMapping> & Pick<QueueMapping, "eventSourceArn" | "queueVisibilityTimeoutSeconds">,
): QueueMapping {
  return {
    kind: "sqs",
    uuid: rng.uuid(),
    state: "Enabled",
    stateTransitionReason: "USER_INITIATED",
    batchSize: 10,
    maximumBatchingWindowInSeconds: 0,
    filterPatterns: [],
    reportBatchItemFailures: true,
    metricsEnabled: false,
    lastModifiedMs: changedAt(fn, ctx, rng),
    ...m,
  };
}

function streamMapping(
  fn: SimFunction,
  ctx: BuildContext,
  rng: Rng,
  m: Partial<StreamMapping> & Pick<StreamMapping, "kind" | "eventSourceArn">,
): StreamMapping {
  return {
    uuid: rng.uuid(),
    state: "Enabled",
    // AWS spells a user's change "User action" on Kinesis and DynamoDB mappings (USER_INITIATED on queues).
    stateTransitionReason: "User action",
    batchSize: 100,
    maximumBatchingWindowInSeconds: 0,
    filterPatterns: [],
    reportBatchItemFailures: false,
    metricsEnabled: false,
    lastModifiedMs: changedAt(fn, ctx, rng),
    startingPosition: "LATEST",
    parallelizationFactor: 1,
    bisectBatchOnFunctionError: false,
    maximumRetryAttempts: -1,
    maximumRecordAgeInSeconds: -1,
    onFailureDestination: null,
    lastProcessingResult: "OK",
    iteratorAgeGrowth: null,
    ...m,
  };
}

function allowPush(fn: SimFunction, rng: Rng, sources: PushSource[]) {
  fn.pushSources = [...(fn.pushSources ?? []), ...sources];
  fn.policyRevisionId = rng.uuid();
}

const apiGateway = (ctx: BuildContext, rng: Rng, route: string): PushSource => ({
  sid: `apigateway-${rng.hex(8)}`,
  principal: "apigateway.amazonaws.com",
  sourceArn: `arn:aws:execute-api:${ctx.region}:${ctx.accountId}:${rng.hex(10)}/*/${route}`,
  sourceAccount: null,
});

/** The planted triggers, by function name (us-east-1 unless the function lives elsewhere). */
const PLANTED_TRIGGERS: Record<string, Plant> = {
  "clickstream-consumer"(fn, ctx, rng) {
    fn.eventSources = [
      streamMapping(fn, ctx, rng, {
        kind: "kinesis",
        eventSourceArn: `arn:aws:kinesis:${ctx.region}:${ctx.accountId}:stream/clickstream`,
        batchSize: 100,
        parallelizationFactor: 1,
        metricsEnabled: true,
        // Behind since 6 h before now, 48 more minutes behind every hour (≈ 4.8 h at now).
        iteratorAgeGrowth: { sinceMs: alignMinute(ctx.nowMs - 6 * HOUR), perHourMs: 0.8 * HOUR },
      }),
    ];
  },
  "email-sender"(fn, ctx, rng) {
    // 30 s of visibility against a 60 s timeout: a slow batch reappears while it is still being processed.
    fn.eventSources = [
      queueMapping(fn, ctx, rng, {
        eventSourceArn: sqsArn(ctx, "email-outbound"),
        queueVisibilityTimeoutSeconds: 30,
        reportBatchItemFailures: false,
      }),
    ];
  },
  "thumbnail-async"(fn, ctx, rng) {
    allowPush(fn, rng, [
      {
        sid: `s3-uploads-${rng.hex(8)}`,
        principal: "s3.amazonaws.com",
        sourceArn: `arn:aws:s3:::uploads-${ctx.accountId}-${ctx.region}`,
        sourceAccount: ctx.accountId,
      },
    ]);
    // No retries, no destination, no DLQ: every failed or expired event is lost.
    fn.asyncConfig = {
      maximumRetryAttempts: 0,
      maximumEventAgeInSeconds: 3600,
      onSuccess: null,
      onFailure: null,
      lastModifiedMs: changedAt(fn, ctx, rng),
    };
    fn.asyncDropRate = 0.04;
    // It writes thumbnails back to the bucket it reads from.
    fn.recursiveLoop = "Allow";
  },
  "legacy-sync"(fn, ctx, rng) {
    fn.eventSources = [
      queueMapping(fn, ctx, rng, {
        eventSourceArn: sqsArn(ctx, "legacy-sync-jobs"),
        state: "Disabled",
        stateTransitionReason: "USER_INITIATED",
        queueVisibilityTimeoutSeconds: 60,
        reportBatchItemFailures: false,
      }),
    ];
  },
  "orders-api"(fn, ctx, rng) {
    allowPush(fn, rng, [apiGateway(ctx, rng, "POST/orders"), apiGateway(ctx, rng, "GET/orders/*")]);
  },
  "payments-api"(fn, ctx, rng) {
    allowPush(fn, rng, [apiGateway(ctx, rng, "POST/payments")]);
  },
  "report-generator"(fn, ctx, rng) {
    allowPush(fn, rng, [
      {
        sid: `events-nightly-reports-${rng.hex(8)}`,
        principal: "events.amazonaws.com",
        sourceArn: `arn:aws:events:${ctx.region}:${ctx.accountId}:rule/nightly-reports`,
        sourceAccount: null,
      },
    ]);
    fn.deadLetterTargetArn = sqsArn(ctx, "report-generator-dlq");
  },
  "notify-sms"(fn, ctx, rng) {
    allowPush(fn, rng, [
      {
        sid: `sns-sms-outbound-${rng.hex(8)}`,
        principal: "sns.amazonaws.com",
        sourceArn: `arn:aws:sns:${ctx.region}:${ctx.accountId}:sms-outbound`,
        sourceAccount: null,
      },
    ]);
  },
  "user-profile"(fn, ctx, rng) {
    const createdMs = changedAt(fn, ctx, rng);
    fn.functionUrl = {
      urlId: rng.hex(32),
      qualifier: null,
      authType: "AWS_IAM",
      cors: {
        allowCredentials: true,
        allowHeaders: ["authorization", "content-type"],
        allowMethods: ["GET", "PUT"],
        allowOrigins: ["https://app.example.com"],
        exposeHeaders: ["x-request-id"],
        maxAge: 300,
      },
      invokeMode: "BUFFERED",
      createdMs,
      lastModifiedMs: createdMs,
    };
  },
  "audit-trail"(fn, ctx, rng) {
    // A well-configured stream consumer: filtered, bisecting, partial batch responses, failures kept.
    fn.eventSources = [
      streamMapping(fn, ctx, rng, {
        kind: "dynamodb",
        eventSourceArn: `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/orders-table/stream/2026-01-15T09:30:00.000`,
        startingPosition: "TRIM_HORIZON",
        batchSize: 50,
        maximumBatchingWindowInSeconds: 5,
        filterPatterns: ['{"eventName":["INSERT","MODIFY"]}'],
        bisectBatchOnFunctionError: true,
        reportBatchItemFailures: true,
        maximumRetryAttempts: 3,
        maximumRecordAgeInSeconds: 3600,
        onFailureDestination: sqsArn(ctx, "audit-trail-failures"),
        metricsEnabled: true,
      }),
    ];
  },
};

/** Suffixes of healthy names that poll a queue; some of them get one. */
const POLLING = /-(consumer|worker|processor)(-\d+)?$/;

function healthySqs(fn: SimFunction, ctx: BuildContext, rng: Rng): EventSourceMapping[] {
  if (!POLLING.test(fn.name) || !rng.chance(0.6)) return [];
  const timeout = fn.latest.timeout;
  return [
    queueMapping(fn, ctx, rng, {
      eventSourceArn: sqsArn(ctx, `${fn.name}-queue`),
      // AWS: at least six times the function timeout, plus the batching window.
      queueVisibilityTimeoutSeconds: 6 * timeout + rng.pick([0, 30, 60]),
      batchSize: rng.pick([5, 10, 10, 20]),
    }),
  ];
}

/** Adds the function's triggers: the planted ones by name, or a healthy function's few. */
export function plantTriggers(fn: SimFunction, ctx: BuildContext, planted: boolean): void {
  const rng = new Rng(deriveSeed(ctx.seed, `triggers/${ctx.region}/${fn.name}`));
  if (planted) {
    PLANTED_TRIGGERS[fn.name]?.(fn, ctx, rng);
    return;
  }
  const sqs = healthySqs(fn, ctx, rng);
  if (sqs.length > 0) fn.eventSources = sqs;
}
