/**
 * The SQS queues of one region of the simulated account: every queue the fleet references — the source queue of an
 * SQS event source mapping, a function's DeadLetterConfig, an async destination (onSuccess/onFailure), a stream
 * mapping's on-failure destination — when that ARN is an SQS queue of this region and account — plus the
 * dead-letter queue of each source queue that has a redrive policy.
 *
 * Invariants: pure and deterministic (derived from the fleet model only, cached per region object); a mapped queue's
 * VisibilityTimeout is the model's `queueVisibilityTimeoutSeconds` (the first mapping in function-name order wins,
 * should two disagree); every other attribute takes SQS's default (SetQueueAttributes reference) unless stated here;
 * a queue with a redrive policy always has its dead-letter queue in the same list.
 */
import type { RegionState, SimFunction } from "../fleet/model";

export interface SandboxQueue {
  name: string;
  arn: string;
  visibilityTimeoutSeconds: number;
  messageRetentionSeconds: number;
  redrive: { deadLetterTargetArn: string; maxReceiveCount: number } | null;
  /** Epoch seconds: the oldest function that references the queue was created then. */
  createdSeconds: number;
}

/** SQS defaults (SetQueueAttributes): 30 s visibility, 4 days retention. */
const DEFAULT_VISIBILITY = 30;
const DEFAULT_RETENTION = 345_600;
/** Dead-letter and failure queues keep messages the longest SQS allows (14 days), as AWS advises for DLQs. */
const DLQ_RETENTION = 1_209_600;
/** Lambda's SQS guide: maxReceiveCount of at least 5, so a throttled message is not sent to the DLQ too early. */
const MAX_RECEIVE_COUNT = 5;

const ARN = /^arn:aws:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/;

/** The queue name when `arn` is an SQS queue of this region and account, else null (SNS, Lambda, other regions). */
function localQueue(arn: string | null | undefined, region: string, accountId: string): string | null {
  const m = ARN.exec(arn ?? "");
  return m && m[1] === region && m[2] === accountId ? (m[3] as string) : null;
}

const cache = new WeakMap<RegionState, Map<string, SandboxQueue>>();

/** The region's queues by name, sorted by name. */
export function queuesOf(state: RegionState, accountId: string): Map<string, SandboxQueue> {
  let queues = cache.get(state);
  if (!queues) {
    queues = deriveQueues(state, accountId);
    cache.set(state, queues);
  }
  return queues;
}

function deriveQueues(state: RegionState, accountId: string): Map<string, SandboxQueue> {
  const region = state.region;
  const arnOf = (name: string) => `arn:aws:sqs:${region}:${accountId}:${name}`;
  const found = new Map<string, SandboxQueue>();
  const add = (fn: SimFunction, name: string, q: Partial<SandboxQueue>) => {
    const createdSeconds = Math.floor(fn.createdMs / 1000);
    const existing = found.get(name);
    if (existing) {
      existing.createdSeconds = Math.min(existing.createdSeconds, createdSeconds);
      return;
    }
    found.set(name, {
      name,
      arn: arnOf(name),
      visibilityTimeoutSeconds: DEFAULT_VISIBILITY,
      messageRetentionSeconds: DEFAULT_RETENTION,
      redrive: null,
      createdSeconds,
      ...q,
    });
  };
  const addFailureQueue = (fn: SimFunction, arn: string | null | undefined) => {
    const name = localQueue(arn, region, accountId);
    if (name) add(fn, name, { messageRetentionSeconds: DLQ_RETENTION });
  };

  const functions = [...state.functions.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const fn of functions) {
    for (const m of fn.eventSources ?? []) {
      if (m.kind === "sqs") {
        const name = localQueue(m.eventSourceArn, region, accountId);
        if (!name) continue;
        // A consumer set up with partial batch responses also has a dead-letter queue; the planted misconfigured
        // consumers (email-sender, legacy-sync) have neither.
        const dlq = m.reportBatchItemFailures && name.length <= 76 ? `${name}-dlq` : null;
        add(fn, name, {
          visibilityTimeoutSeconds: m.queueVisibilityTimeoutSeconds,
          redrive: dlq ? { deadLetterTargetArn: arnOf(dlq), maxReceiveCount: MAX_RECEIVE_COUNT } : null,
        });
        if (dlq) add(fn, dlq, { messageRetentionSeconds: DLQ_RETENTION });
      } else {
        addFailureQueue(fn, m.onFailureDestination);
      }
    }
    addFailureQueue(fn, fn.deadLetterTargetArn);
    addFailureQueue(fn, fn.asyncConfig?.onFailure);
    addFailureQueue(fn, fn.asyncConfig?.onSuccess);
  }
  return new Map([...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
