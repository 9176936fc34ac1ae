/**
 * EventSourceMapping fixtures for unit tests: a healthy SQS mapping and a healthy Kinesis mapping with every
 * field set, overridden per test.
 */
import type { EventSourceMapping } from "@/lib/core/triggers/types";
import { seconds } from "@/lib/core/units";

export const sqsMapping = (over: Partial<EventSourceMapping> = {}): EventSourceMapping => ({
  uuid: "u-1",
  sourceArn: "arn:aws:sqs:us-east-1:123456789012:jobs",
  kind: "sqs",
  state: "Enabled",
  stateReason: "USER_INITIATED",
  lastProcessingResult: null,
  batchSize: 10,
  batchingWindowSeconds: seconds(0),
  startingPosition: null,
  filters: [],
  bisectOnError: null,
  reportBatchItemFailures: true,
  onFailureDestination: null,
  maxRetries: null,
  maxRecordAgeSeconds: null,
  parallelizationFactor: null,
  lastModified: null,
  metrics: [],
  ...over,
});

export const streamMapping = (over: Partial<EventSourceMapping> = {}): EventSourceMapping => ({
  uuid: "u-1",
  sourceArn: "arn:aws:kinesis:us-east-1:123456789012:stream/clicks",
  kind: "kinesis",
  state: "Enabled",
  stateReason: "USER_INITIATED",
  lastProcessingResult: "OK",
  batchSize: 100,
  batchingWindowSeconds: seconds(0),
  startingPosition: "LATEST",
  filters: [],
  bisectOnError: false,
  reportBatchItemFailures: false,
  onFailureDestination: null,
  maxRetries: -1,
  maxRecordAgeSeconds: -1,
  parallelizationFactor: 1,
  lastModified: null,
  metrics: [],
  ...over,
});
