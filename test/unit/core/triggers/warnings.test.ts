import { describe, expect, it } from "vitest";
import { triggerWarnings } from "@/lib/core/triggers/warnings";
import { ASYNC_DEFAULTS, type EventSourceMapping, type PushSource } from "@/lib/core/triggers/types";
import { sqsMapping } from "@/test/support/event-source-mappings";

const mapping = (m: Partial<EventSourceMapping>): EventSourceMapping =>
  sqsMapping({ sourceArn: "arn:aws:sqs:us-east-1:1:jobs", ...m });

const stream = (m: Partial<EventSourceMapping> = {}) =>
  mapping({
    kind: "kinesis",
    sourceArn: "arn:aws:kinesis:us-east-1:1:stream/clicks",
    startingPosition: "LATEST",
    maxRetries: -1,
    maxRecordAgeSeconds: -1,
    bisectOnError: false,
    reportBatchItemFailures: false,
    lastProcessingResult: "OK",
    ...m,
  });

const s3: PushSource = { sid: "s3", principal: "s3.amazonaws.com", kind: "s3", sourceArn: "arn:aws:s3:::b" };
const api: PushSource = { ...s3, principal: "apigateway.amazonaws.com", kind: "apigateway" };
const codes = (w: ReturnType<typeof triggerWarnings>) => w.map((x) => x.code);

describe("triggerWarnings", () => {
  it("says nothing for a well-configured queue and stream consumer", () => {
    const guarded = stream({ maxRetries: 3, onFailureDestination: "arn:aws:sqs:us-east-1:1:dlq" });
    expect(
      triggerWarnings({ mappings: [mapping({}), guarded], async: null, deadLetterTarget: null }),
    ).toEqual([]);
  });

  it("names a disabled mapping's source and the reason it is disabled", () => {
    const [w] = triggerWarnings({ mappings: [mapping({ state: "Disabled" })] });
    expect(w).toMatchObject({ code: "mapping-disabled", mappingUuid: "u-1" });
    expect(w?.message).toContain("jobs is disabled (USER_INITIATED)");
  });

  it("repeats a stream's PROBLEM processing result", () => {
    const w = triggerWarnings({
      mappings: [stream({ maxRetries: 2, lastProcessingResult: "PROBLEM: Function call failed" })],
    });
    expect(codes(w)).toEqual(["mapping-problem"]);
    expect(w[0]?.message).toContain("PROBLEM: Function call failed");
  });

  it("flags a stream retrying forever with nowhere to send failures, not one with either guard", () => {
    expect(codes(triggerWarnings({ mappings: [stream()] }))).toEqual(["stream-retries-forever"]);
    expect(triggerWarnings({ mappings: [stream({ maxRetries: 5 })] })).toEqual([]);
    expect(
      triggerWarnings({ mappings: [stream({ onFailureDestination: "arn:aws:sns:us-east-1:1:t" })] }),
    ).toEqual([]);
  });

  it("flags an SQS mapping without partial batch responses", () => {
    expect(codes(triggerWarnings({ mappings: [mapping({ reportBatchItemFailures: false })] }))).toEqual([
      "sqs-whole-batch-retry",
    ]);
  });

  it("flags async events with no failure destination and no DLQ, only for a function that receives them", () => {
    const unguarded = { ...ASYNC_DEFAULTS, maxRetries: 0 };
    expect(codes(triggerWarnings({ async: unguarded, deadLetterTarget: null }))).toEqual([
      "async-events-unguarded",
    ]);
    expect(codes(triggerWarnings({ async: null, deadLetterTarget: null, pushSources: [s3] }))).toEqual([
      "async-events-unguarded",
    ]);
    // API Gateway waits for the answer: no async events to lose.
    expect(triggerWarnings({ async: null, deadLetterTarget: null, pushSources: [api] })).toEqual([]);
    expect(triggerWarnings({ async: unguarded, deadLetterTarget: "arn:aws:sqs:us-east-1:1:dlq" })).toEqual(
      [],
    );
    expect(
      triggerWarnings({
        async: { ...unguarded, onFailure: "arn:aws:sqs:us-east-1:1:f" },
        deadLetterTarget: null,
      }),
    ).toEqual([]);
  });

  it("does not guess when the async config or the DLQ could not be read", () => {
    expect(triggerWarnings({ deadLetterTarget: null, pushSources: [s3] })).toEqual([]);
    expect(triggerWarnings({ async: null, pushSources: [s3] })).toEqual([]);
  });
});
