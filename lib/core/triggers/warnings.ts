/**
 * The obvious problems of one function's triggers, visible from configuration alone (no metrics): each a short
 * sentence. A part AWS did not answer is `undefined` here, and the rules that need it say nothing rather than
 * guess. Sources: https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html,
 * …/services-kinesis-errors.html, …/services-sqs-errorhandling.html (partial batch responses).
 */
import { isStream } from "./mapping";
import { sourceName } from "./source";
import {
  UNLIMITED,
  type AsyncConfig,
  type EventSourceMapping,
  type PushSource,
  type PushSourceKind,
  type TriggerWarning,
} from "./types";

export interface TriggerFacts {
  mappings?: readonly EventSourceMapping[];
  pushSources?: readonly PushSource[];
  /** null: the function has no event invoke config (AWS defaults apply). */
  async?: AsyncConfig | null;
  /** null: no dead-letter queue. */
  deadLetterTarget?: string | null;
}

/** Services that invoke asynchronously (API Gateway and CloudFront wait for the answer). */
const ASYNC_PUSHERS: ReadonlySet<PushSourceKind> = new Set(["s3", "sns", "events"]);

function mappingWarnings(m: EventSourceMapping): TriggerWarning[] {
  const name = sourceName(m.sourceArn);
  const out: TriggerWarning[] = [];
  const about = { mappingUuid: m.uuid };
  if (m.state === "Disabled")
    out.push({
      code: "mapping-disabled",
      message: `The mapping from ${name} is disabled (${m.stateReason || "no reason given"}): nothing is read from it.`,
      ...about,
    });
  if (m.lastProcessingResult?.startsWith("PROBLEM"))
    out.push({
      code: "mapping-problem",
      message: `The mapping from ${name} reports a problem: ${m.lastProcessingResult}.`,
      ...about,
    });
  if (isStream(m) && m.onFailureDestination === null && m.maxRetries === UNLIMITED)
    out.push({
      code: "stream-retries-forever",
      message: `The mapping from ${name} retries a failing batch without limit and has no on-failure destination: one bad record blocks its shard until it expires, then is lost.`,
      ...about,
    });
  if (m.kind === "sqs" && !m.reportBatchItemFailures)
    out.push({
      code: "sqs-whole-batch-retry",
      message: `The mapping from ${name} does not report batch item failures: one failed message returns its whole batch to the queue.`,
      ...about,
    });
  return out;
}

/**
 * Async events are at risk only for a function that receives them: it has an event invoke config, or a
 * service that invokes asynchronously may push to it.
 */
function asyncWarning(facts: TriggerFacts): TriggerWarning | null {
  const { async, deadLetterTarget, pushSources } = facts;
  if (async === undefined || deadLetterTarget === undefined) return null;
  const receivesAsync = async !== null || (pushSources ?? []).some((s) => ASYNC_PUSHERS.has(s.kind));
  if (!receivesAsync || async?.onFailure || deadLetterTarget) return null;
  return {
    code: "async-events-unguarded",
    message:
      "Asynchronous events have no on-failure destination and no dead-letter queue: an event that fails its retries or ages out is lost.",
  };
}

export function triggerWarnings(facts: TriggerFacts): TriggerWarning[] {
  const fromMappings = (facts.mappings ?? []).flatMap(mappingWarnings);
  const unguarded = asyncWarning(facts);
  return unguarded ? [...fromMappings, unguarded] : fromMappings;
}
