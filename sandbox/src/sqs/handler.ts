/**
 * The sandbox's SQS (awsJson1_0, `X-Amz-Target: AmazonSQS.<Op>`): GetQueueUrl, GetQueueAttributes and ListQueues
 * over the queues the simulated fleet references (queues.ts). Every other target gets UnknownOperationException;
 * modelled failures get their JSON shape plus the `x-amzn-query-error` code (wire.ts).
 *
 * Invariants: a QueueUrl is read by its path only (`/<account>/<name>`, any host, as the SQS front end routes by
 * path); queue URLs are rendered as AWS returns them, `https://sqs.<region>.amazonaws.com/<account>/<name>`; the
 * simulator sends no messages, so the approximate message counts are 0.
 */
import { z } from "zod";
import type { SandboxContext, SandboxRequest, SandboxResponse, ServiceHandler } from "../http/types";
import { queuesOf, type SandboxQueue } from "./queues";
import {
  SqsError,
  TARGET_PREFIX,
  decodeToken,
  encodeToken,
  errorResponse,
  jsonResponse,
  unknownOperation,
} from "./wire";

/** QueueAttributeName (botocore 1.43's sqs model); ApproximateAgeOfOldestMessage is a CloudWatch metric, not one. */
const ATTRIBUTE_NAMES: ReadonlySet<string> = new Set([
  "All",
  "Policy",
  "VisibilityTimeout",
  "MaximumMessageSize",
  "MessageRetentionPeriod",
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "CreatedTimestamp",
  "LastModifiedTimestamp",
  "QueueArn",
  "ApproximateNumberOfMessagesDelayed",
  "DelaySeconds",
  "ReceiveMessageWaitTimeSeconds",
  "RedrivePolicy",
  "FifoQueue",
  "ContentBasedDeduplication",
  "KmsMasterKeyId",
  "KmsDataKeyReusePeriodSeconds",
  "DeduplicationScope",
  "FifoThroughputLimit",
  "RedriveAllowPolicy",
  "SqsManagedSseEnabled",
]);

/** SQS's default MaximumMessageSize (1 MiB, SetQueueAttributes reference). */
const MAX_MESSAGE_SIZE = 1_048_576;

/** Every attribute a standard queue without a policy or KMS key reports, in the order `All` lists them. */
function attributesOf(q: SandboxQueue): Record<string, string> {
  const out: Record<string, string> = {
    QueueArn: q.arn,
    ApproximateNumberOfMessages: "0",
    ApproximateNumberOfMessagesNotVisible: "0",
    ApproximateNumberOfMessagesDelayed: "0",
    CreatedTimestamp: String(q.createdSeconds),
    LastModifiedTimestamp: String(q.createdSeconds),
    VisibilityTimeout: String(q.visibilityTimeoutSeconds),
    MaximumMessageSize: String(MAX_MESSAGE_SIZE),
    MessageRetentionPeriod: String(q.messageRetentionSeconds),
    DelaySeconds: "0",
    ReceiveMessageWaitTimeSeconds: "0",
    SqsManagedSseEnabled: "true",
  };
  if (q.redrive) out.RedrivePolicy = JSON.stringify(q.redrive);
  return out;
}

const queueUrl = (region: string, accountId: string, name: string) =>
  `https://sqs.${region}.amazonaws.com/${accountId}/${name}`;

const GetQueueUrlSchema = z.object({
  QueueName: z.string().optional(),
  QueueOwnerAWSAccountId: z.string().optional(),
});
const GetQueueAttributesSchema = z.object({
  QueueUrl: z.string().optional(),
  AttributeNames: z.array(z.string()).optional(),
});
const ListQueuesSchema = z.object({
  QueueNamePrefix: z.string().optional(),
  NextToken: z.string().optional(),
  MaxResults: z.number().optional(),
});

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success)
    throw new SqsError("SerializationException", "Start of structure or map found where not expected.");
  return r.data;
}

const notFound = () => new SqsError("QueueDoesNotExist", "The specified queue does not exist.");

/** The queue a QueueUrl names: any host, path `/<account>/<name>`. */
function queueOfUrl(url: string, req: SandboxRequest, ctx: SandboxContext): SandboxQueue {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    throw new SqsError("InvalidAddress", `The address ${url} is not valid for this endpoint.`);
  }
  const m = /^\/(\d{12})\/([^/]+)\/?$/.exec(path);
  if (!m) throw new SqsError("InvalidAddress", `The address ${url} is not valid for this endpoint.`);
  if (m[1] !== ctx.account.accountId) throw notFound();
  const region = ctx.account.regions.get(req.region);
  const queue = region
    ? queuesOf(region, ctx.account.accountId).get(decodeURIComponent(m[2] as string))
    : undefined;
  if (!queue) throw notFound();
  return queue;
}

type Operation = (body: unknown, req: SandboxRequest, ctx: SandboxContext) => unknown;

const OPERATIONS: Readonly<Record<string, Operation>> = {
  GetQueueUrl(body, req, ctx) {
    const input = parseBody(GetQueueUrlSchema, body);
    if (!input.QueueName)
      throw new SqsError("MissingParameter", "The request must contain the parameter QueueName.");
    const owner = input.QueueOwnerAWSAccountId ?? ctx.account.accountId;
    const region = ctx.account.regions.get(req.region);
    const queue =
      owner === ctx.account.accountId && region
        ? queuesOf(region, ctx.account.accountId).get(input.QueueName)
        : undefined;
    if (!queue) throw notFound();
    return { QueueUrl: queueUrl(req.region, ctx.account.accountId, queue.name) };
  },

  GetQueueAttributes(body, req, ctx) {
    const input = parseBody(GetQueueAttributesSchema, body);
    if (!input.QueueUrl)
      throw new SqsError("MissingParameter", "The request must contain the parameter QueueUrl.");
    const names = input.AttributeNames ?? [];
    for (const n of names)
      if (!ATTRIBUTE_NAMES.has(n)) throw new SqsError("InvalidAttributeName", `Unknown Attribute ${n}.`);
    const queue = queueOfUrl(input.QueueUrl, req, ctx);
    const all = attributesOf(queue);
    const wanted = names.includes("All") ? Object.keys(all) : names;
    const attributes = Object.fromEntries(wanted.filter((n) => n in all).map((n) => [n, all[n] as string]));
    // Without attribute names SQS answers with no Attributes member at all.
    return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
  },

  ListQueues(body, req, ctx) {
    const input = parseBody(ListQueuesSchema, body);
    const max = input.MaxResults;
    if (max !== undefined && !(Number.isInteger(max) && max >= 1 && max <= 1000))
      throw new SqsError(
        "InvalidParameterValue",
        `Value ${max} for parameter MaxResults is invalid. Reason: must be between 1 and 1000, if provided.`,
      );
    const after = input.NextToken !== undefined ? decodeToken(input.NextToken) : null;
    const region = ctx.account.regions.get(req.region);
    const prefix = input.QueueNamePrefix ?? "";
    const names = region
      ? [...queuesOf(region, ctx.account.accountId).keys()].filter(
          (n) => n.startsWith(prefix) && (after === null || n > after),
        )
      : [];
    const page = names.slice(0, max ?? 1000);
    const out: { QueueUrls?: string[]; NextToken?: string } = {};
    if (page.length > 0) out.QueueUrls = page.map((n) => queueUrl(req.region, ctx.account.accountId, n));
    // A NextToken only when the caller paginates (MaxResults), as the ListQueues reference says.
    if (max !== undefined && names.length > page.length)
      out.NextToken = encodeToken(page[page.length - 1] as string);
    return out;
  },
};

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new SqsError("SerializationException", "Start of structure or map found where not expected.");
  }
}

export const handleSqs: ServiceHandler = (req, ctx): SandboxResponse => {
  const target = req.headers["x-amz-target"] ?? "";
  const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
  const op = Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
  if (req.method !== "POST" || !op) return unknownOperation(target || `${req.method} ${req.path}`);
  try {
    return jsonResponse(name, op(parseJson(req.body), req, ctx));
  } catch (e) {
    if (e instanceof SqsError) return errorResponse(name, e);
    throw e;
  }
};
