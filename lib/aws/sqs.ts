/**
 * The SQS port: the queue attributes the Advisor weighs against a function (visibility timeout vs the function's
 * timeout, retention, redrive). Only GetQueueUrl and GetQueueAttributes; no SDK type leaves this file.
 *
 * Invariants: the adapter is bound to one region and one client, and refuses an ARN of another region
 * (InvalidInput) before any call; every failure is a FleetscopeError (mapped once in ./errors); the attribute
 * strings AWS sends are validated with zod, and a value out of AWS's documented range is Unavailable (an
 * answer we cannot back), never a guessed number.
 */
import type { AccountTarget } from "@/lib/core/accounts";
import "server-only";
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type QueueAttributeName,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { z } from "zod";
import { FleetscopeError, invalidInput } from "@/lib/core/errors";
import { seconds, type Seconds } from "@/lib/core/units";
import { sqsClient } from "./clients";
import { mapAwsErrors } from "./errors";

export interface QueueAttributes {
  queueArn: string;
  visibilityTimeout: Seconds;
  messageRetention: Seconds;
  /** RedrivePolicy's deadLetterTargetArn and maxReceiveCount, null without a redrive policy. */
  redrive: { deadLetterTargetArn: string; maxReceiveCount: number } | null;
}

export interface SqsPort {
  region: string;
  /** GetQueueUrl + GetQueueAttributes for a queue ARN (arn:aws:sqs:region:account:name); NotFound when the queue does not exist. */
  queueAttributes(queueArn: string): Promise<QueueAttributes>;
}

/** The adapter for a region, on the process-wide client for that region. */
export const sqsFor = (region: string, account: AccountTarget | null = null): SqsPort =>
  createSqsPort(sqsClient(region, account), region);

/** `arn:<partition>:sqs:<region>:<account>:<name>`; queue names are 1–80 of [A-Za-z0-9_-], `.fifo` for FIFO. */
const QUEUE_ARN =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/;

export interface QueueArnParts {
  region: string;
  accountId: string;
  name: string;
}

export function parseQueueArn(arn: string): QueueArnParts | null {
  const m = QUEUE_ARN.exec(arn);
  return m ? { region: m[2] as string, accountId: m[3] as string, name: m[4] as string } : null;
}

/** An integer attribute as SQS sends it (a decimal string), within the range SQS documents for it. */
const intAttribute = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,10}$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** RedrivePolicy is JSON text; maxReceiveCount arrives as a number or, when set as text, as a string. */
const RedrivePolicy = z.object({
  deadLetterTargetArn: z.string().min(1),
  maxReceiveCount: z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\d{1,10}$/)
        .transform(Number),
    ])
    .pipe(z.number().int().min(1)),
});

/** Ranges from the SetQueueAttributes reference: VisibilityTimeout 0–43,200 s, MessageRetentionPeriod 60 s–14 days. */
const Attributes = z.object({
  QueueArn: z.string().min(1),
  VisibilityTimeout: intAttribute(0, 43_200),
  MessageRetentionPeriod: intAttribute(60, 1_209_600),
  RedrivePolicy: z.string().optional(),
});

const REQUESTED: QueueAttributeName[] = [
  "QueueArn",
  "VisibilityTimeout",
  "MessageRetentionPeriod",
  "RedrivePolicy",
];

function parseRedrive(text: string | undefined, context: string): QueueAttributes["redrive"] {
  // An empty RedrivePolicy is how SetQueueAttributes removes one: no policy.
  if (text === undefined || text.trim() === "") return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new FleetscopeError("Unavailable", `${context}: RedrivePolicy is not JSON`);
  }
  const parsed = RedrivePolicy.safeParse(raw);
  if (!parsed.success)
    throw new FleetscopeError("Unavailable", `${context}: RedrivePolicy has an unexpected shape`, {
      issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
    });
  return parsed.data;
}

export function createSqsPort(client: SQSClient, region: string): SqsPort {
  const call = <T>(context: string, fn: () => Promise<T>) => mapAwsErrors(`SQS ${context}`, fn);

  return {
    region,

    async queueAttributes(queueArn) {
      const parts = parseQueueArn(queueArn);
      if (!parts) throw invalidInput(`SQS: not a queue ARN: ${JSON.stringify(queueArn.slice(0, 200))}`);
      if (parts.region !== region)
        throw invalidInput(`SQS: queue ${parts.name} is in ${parts.region}, this adapter reads ${region}`, {
          queueRegion: parts.region,
          region,
        });

      const queueUrl = await call(`GetQueueUrl ${parts.name}`, async () => {
        const r = await client.send(
          new GetQueueUrlCommand({ QueueName: parts.name, QueueOwnerAWSAccountId: parts.accountId }),
        );
        if (!r.QueueUrl)
          throw new FleetscopeError("Unavailable", `SQS GetQueueUrl ${parts.name}: no QueueUrl`);
        return r.QueueUrl;
      });

      const context = `SQS GetQueueAttributes ${parts.name}`;
      const attributes = await call(`GetQueueAttributes ${parts.name}`, async () => {
        const r = await client.send(
          new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: REQUESTED }),
        );
        return r.Attributes ?? {};
      });
      const parsed = Attributes.safeParse(attributes);
      if (!parsed.success)
        throw new FleetscopeError("Unavailable", `${context}: attributes of an unexpected shape`, {
          issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
        });
      return {
        queueArn: parsed.data.QueueArn,
        visibilityTimeout: seconds(parsed.data.VisibilityTimeout),
        messageRetention: seconds(parsed.data.MessageRetentionPeriod),
        redrive: parseRedrive(parsed.data.RedrivePolicy, context),
      };
    },
  };
}
