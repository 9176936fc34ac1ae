/**
 * Asynchronous delivery: events Lambda gave up on (AsyncEventsDropped: retries exhausted or older than
 * MaximumEventAge) and records it failed to hand over (DestinationDeliveryFailures, DeadLetterErrors).
 *
 * Invariants:
 * - Dropped events with no on-failure destination and no dead-letter queue are lost: warning. With either one,
 *   they were kept there: info at most. With the config unread, no destination is known: warning unless the
 *   dead-letter queue (from the function's configuration, known without it) kept them; the flag says what it
 *   could not check (its confidence is capped, evidence.ts: "async" is read partly).
 * - Delivery failures (> 0) are a warning whatever else: the safety net itself is failing.
 * - A delivery-failure count that was not read (null) is left out of the evidence, never shown as 0.
 * Sources: https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html (async invocation metrics).
 */
import type { Rule } from "../context";
import { flag, int, noImpact, num } from "../context";
import type { EvidenceNumber, Severity } from "../types";

export const asyncDelivery: Rule = (input) => {
  const o = input.observed;
  const dropped = o.asyncEventsDropped;
  const destinationFailures = o.destinationDeliveryFailures ?? null;
  const dlqErrors = o.deadLetterErrors ?? null;
  const failing = (destinationFailures ?? 0) + (dlqErrors ?? 0);
  if (dropped === 0 && failing === 0) return [];

  const async = input.sources?.async ?? null;
  // undefined: the event invoke config could not be read (the dead-letter queue may still be known).
  const config = async === null ? undefined : async.config;
  const configRead = config !== undefined;
  const onFailure = config?.onFailure ?? null;
  const dlq = async?.deadLetterTarget ?? null;
  const guarded = onFailure !== null || dlq !== null;
  const unguarded = configRead && !guarded;

  const numbers: Record<string, EvidenceNumber> = { asyncEventsDropped: num(dropped, "count") };
  if (destinationFailures !== null) numbers.destinationDeliveryFailures = num(destinationFailures, "count");
  if (dlqErrors !== null) numbers.deadLetterErrors = num(dlqErrors, "count");
  if (configRead) {
    // No event invoke config: AWS's defaults (2 retries, 6 hours) apply.
    numbers.maxRetryAttempts = num(config?.maxRetries ?? 2, "count");
    numbers.maxEventAge = num(config?.maxEventAgeSeconds ?? 21_600, "s");
  }

  const severity: Severity = failing > 0 || !guarded ? "warning" : "info";
  const parts: string[] = [];
  if (dropped > 0)
    parts.push(
      `${int(dropped)} async events dropped` +
        (unguarded
          ? " with no on-failure destination or dead-letter queue"
          : guarded
            ? ` (kept by the ${onFailure !== null ? "on-failure destination" : "dead-letter queue"})`
            : ""),
    );
  if ((destinationFailures ?? 0) > 0)
    parts.push(`${int(destinationFailures!)} destination deliveries failed`);
  if ((dlqErrors ?? 0) > 0) parts.push(`${int(dlqErrors!)} dead-letter deliveries failed`);

  const advice: string[] = [];
  if (failing > 0)
    advice.push(
      "Check that the destination / dead-letter queue exists and that the execution role may send to it (sqs:SendMessage, sns:Publish, events:PutEvents, lambda:InvokeFunction, s3:PutObject).",
    );
  if (dropped > 0 && !guarded)
    advice.push(
      `${configRead ? "Add" : "The event invoke config could not be checked: make sure there is"} an on-failure destination (SQS, SNS, EventBridge, Lambda or S3) or a dead-letter queue, so events that fail their retries or age out are kept.`,
    );
  if (dropped > 0 && guarded)
    advice.push("Process what the destination kept, and check why events fail or age out.");
  if (dropped > 0 && configRead)
    advice.push(
      `Events are retried ${config?.maxRetries ?? 2} times and kept ${Math.round((config?.maxEventAgeSeconds ?? 21_600) / 60)} min: raise MaximumRetryAttempts / MaximumEventAgeInSeconds if they give up too early.`,
    );

  return [
    flag(input, "async-delivery", {
      severity,
      title: parts.join("; "),
      numbers,
      confidence: configRead
        ? { level: "high", why: "async metrics and the event invoke config" }
        : {
            level: "medium",
            why:
              async === null
                ? "async metrics; the event invoke config and dead-letter queue were not read"
                : "async metrics and the dead-letter queue; the event invoke config was not read",
          },
      recommendation: {
        text: advice.join(" "),
        action: dropped > 0 && !guarded ? { kind: "add-failure-destination" } : { kind: "investigate" },
      },
      monthlyImpact: noImpact(
        unguarded || !configRead
          ? "lost events, not a list-price cost"
          : "a reliability risk, not a list-price cost",
      ),
    }),
  ];
};
