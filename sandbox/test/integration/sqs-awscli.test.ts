/**
 * The sandbox's SQS through the real `aws` CLI (botocore's awsJson1_0, query-compatible errors): ListQueues,
 * GetQueueUrl, GetQueueAttributes and the errors AWS answers. Expected queues come from the other service the CLI
 * reads — Lambda's event source mappings — and from the fleet model's facts, never from constants of this file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/index";
import { awsCli, awsCliJson } from "../support/awscli";
import { startTestSandbox } from "../support/sandbox";

let sb: Sandbox;
let accountId: string;
const cli = (...args: string[]) => awsCli(sb.url, args);
const json = <T>(...args: string[]) => awsCliJson<T>(sb.url, args);
const nameOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);

interface Mapping {
  EventSourceArn: string;
  FunctionArn: string;
}

/** Every SQS queue an event source mapping of the region reads, as the CLI lists the mappings. */
async function mappedQueueArns(region = "us-east-1"): Promise<string[]> {
  const r = await awsCliJson<{ EventSourceMappings: Mapping[] }>(
    sb.url,
    ["lambda", "list-event-source-mappings"],
    {
      region,
    },
  );
  return r.EventSourceMappings.map((m) => m.EventSourceArn).filter((a) => a.startsWith("arn:aws:sqs:"));
}

/** The model's visibility timeout for a queue ARN (the first mapping that reads it). */
function modelVisibility(queueArn: string): number | undefined {
  for (const fn of sb.account.regions.get("us-east-1")?.functions.values() ?? [])
    for (const m of fn.eventSources ?? [])
      if (m.kind === "sqs" && m.eventSourceArn === queueArn) return m.queueVisibilityTimeoutSeconds;
  return undefined;
}

const attributes = async (url: string, ...names: string[]) =>
  (
    (await json<{ Attributes?: Record<string, string> } | null>(
      "sqs",
      "get-queue-attributes",
      "--queue-url",
      url,
      ...(names.length ? ["--attribute-names", ...names] : []),
    )) ?? {}
  ).Attributes;

beforeAll(async () => {
  sb = await startTestSandbox();
  accountId = sb.account.accountId;
});
afterAll(async () => {
  await sb.close();
});

describe("sqs list-queues", () => {
  it("lists every queue a mapping reads, as AWS's URLs, sorted by name", async () => {
    const { QueueUrls } = await json<{ QueueUrls: string[] }>("sqs", "list-queues");
    const names = QueueUrls.map(nameOf);
    expect(names).toEqual([...names].sort());
    for (const url of QueueUrls)
      expect(url).toBe(`https://sqs.us-east-1.amazonaws.com/${accountId}/${nameOf(url)}`);
    const mapped = await mappedQueueArns();
    expect(mapped.length).toBeGreaterThan(1);
    for (const a of mapped) expect(names).toContain(a.split(":")[5]);
    // report-generator's DeadLetterConfig and audit-trail's on-failure destination are SQS queues too.
    const fns = sb.account.regions.get("us-east-1")?.functions;
    const dlq = fns?.get("report-generator")?.deadLetterTargetArn;
    expect(dlq?.startsWith("arn:aws:sqs:")).toBe(true);
    expect(names).toContain(dlq?.split(":")[5]);
  });

  it("filters by QueueNamePrefix and pages with MaxResults/NextToken to the same list", async () => {
    const all = (await json<{ QueueUrls: string[] }>("sqs", "list-queues")).QueueUrls;
    const prefix = nameOf(all[0] as string).slice(0, 3);
    const filtered = (
      await json<{ QueueUrls: string[] }>("sqs", "list-queues", "--queue-name-prefix", prefix)
    ).QueueUrls;
    expect(filtered).toEqual(all.filter((u) => nameOf(u).startsWith(prefix)));
    expect(await json("sqs", "list-queues", "--queue-name-prefix", "no-queue-starts-like-this")).toBeNull();

    sb.resetStats();
    const paged = (await json<{ QueueUrls: string[] }>("sqs", "list-queues", "--page-size", "2")).QueueUrls;
    expect(paged).toEqual(all);
    expect(sb.stats()["sqs.ListQueues"]).toBe(Math.ceil(all.length / 2));
    const bad = await cli("sqs", "list-queues", "--max-results", "1001");
    expect(bad.ok ? "ok" : bad.errorCode).toBe("InvalidParameterValue");
  });

  it("keeps each region's queues apart", async () => {
    const us = (await json<{ QueueUrls: string[] }>("sqs", "list-queues")).QueueUrls;
    const eu = await awsCliJson<{ QueueUrls?: string[] } | null>(sb.url, ["sqs", "list-queues"], {
      region: "eu-west-1",
    });
    for (const url of eu?.QueueUrls ?? []) expect(url).toMatch(/^https:\/\/sqs\.eu-west-1\.amazonaws\.com\//);
    const euMapped = await mappedQueueArns("eu-west-1");
    expect((eu?.QueueUrls ?? []).length).toBeGreaterThanOrEqual(euMapped.length);
    expect(us.some((u) => (eu?.QueueUrls ?? []).includes(u))).toBe(false);
  });
});

describe("sqs get-queue-url and get-queue-attributes", () => {
  it("returns the URL of a mapped queue, and NonExistentQueue for a name or owner it does not have", async () => {
    const r = await json<{ QueueUrl: string }>("sqs", "get-queue-url", "--queue-name", "email-outbound");
    expect(r.QueueUrl).toBe(`https://sqs.us-east-1.amazonaws.com/${accountId}/email-outbound`);
    const missing = await cli("sqs", "get-queue-url", "--queue-name", "no-such-queue");
    expect(missing.ok ? "ok" : missing.errorCode).toBe("AWS.SimpleQueueService.NonExistentQueue");
    expect(missing.ok ? "" : missing.stderr).toContain("The specified queue does not exist.");
    const otherOwner = await cli(
      "sqs",
      "get-queue-url",
      "--queue-name",
      "email-outbound",
      "--queue-owner-aws-account-id",
      "111122223333",
    );
    expect(otherOwner.ok ? "ok" : otherOwner.errorCode).toBe("AWS.SimpleQueueService.NonExistentQueue");
  });

  it("answers All with a standard queue's attributes; each mapped queue's visibility is the model's", async () => {
    for (const queueArn of await mappedQueueArns()) {
      const name = queueArn.split(":")[5] as string;
      const { QueueUrl } = await json<{ QueueUrl: string }>("sqs", "get-queue-url", "--queue-name", name);
      const a = (await attributes(QueueUrl, "All")) ?? {};
      expect(a.QueueArn).toBe(queueArn);
      expect(Number(a.VisibilityTimeout)).toBe(modelVisibility(queueArn));
      for (const key of [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
        "CreatedTimestamp",
        "LastModifiedTimestamp",
        "MaximumMessageSize",
        "MessageRetentionPeriod",
        "DelaySeconds",
        "ReceiveMessageWaitTimeSeconds",
      ])
        expect(a[key], `${name} ${key}`).toMatch(/^\d+$/);
      // Standard queues: no FIFO attributes; a redrive policy names a queue that exists.
      expect(a.FifoQueue).toBeUndefined();
      if (a.RedrivePolicy !== undefined) {
        const policy = JSON.parse(a.RedrivePolicy) as {
          deadLetterTargetArn: string;
          maxReceiveCount: number;
        };
        expect(policy.maxReceiveCount).toBeGreaterThanOrEqual(1);
        const target = await json<{ QueueUrl: string }>(
          "sqs",
          "get-queue-url",
          "--queue-name",
          policy.deadLetterTargetArn.split(":")[5] as string,
        );
        expect((await attributes(target.QueueUrl, "QueueArn"))?.QueueArn).toBe(policy.deadLetterTargetArn);
      }
    }
    const email = await attributes(`https://sqs.us-east-1.amazonaws.com/${accountId}/email-outbound`, "All");
    expect(email?.VisibilityTimeout).toBe("30");
    expect(email?.RedrivePolicy).toBeUndefined();
  });

  it("returns only the names asked for, none without names, and reads any host in the QueueUrl", async () => {
    const url = `http://queues.example.test/${accountId}/email-outbound`;
    expect(await attributes(url, "VisibilityTimeout", "QueueArn")).toEqual({
      VisibilityTimeout: "30",
      QueueArn: `arn:aws:sqs:us-east-1:${accountId}:email-outbound`,
    });
    expect(await attributes(url)).toBeUndefined();
  });

  it("answers AWS's errors: unknown attribute, unknown queue, malformed URL", async () => {
    const url = `https://sqs.us-east-1.amazonaws.com/${accountId}`;
    const age = await cli(
      "sqs",
      "get-queue-attributes",
      "--queue-url",
      `${url}/email-outbound`,
      "--attribute-names",
      "ApproximateAgeOfOldestMessage",
    );
    expect(age.ok ? "ok" : age.errorCode).toBe("InvalidAttributeName");
    const missing = await cli(
      "sqs",
      "get-queue-attributes",
      "--queue-url",
      `${url}/no-such-queue`,
      "--attribute-names",
      "All",
    );
    expect(missing.ok ? "ok" : missing.errorCode).toBe("AWS.SimpleQueueService.NonExistentQueue");
    const otherAccount = await cli(
      "sqs",
      "get-queue-attributes",
      "--queue-url",
      "https://sqs.us-east-1.amazonaws.com/111122223333/email-outbound",
      "--attribute-names",
      "All",
    );
    expect(otherAccount.ok ? "ok" : otherAccount.errorCode).toBe("AWS.SimpleQueueService.NonExistentQueue");
    for (const bad of ["not a url", "https://sqs.us-east-1.amazonaws.com/email-outbound"]) {
      const r = await cli("sqs", "get-queue-attributes", "--queue-url", bad, "--attribute-names", "All");
      expect(r.ok ? "ok" : r.errorCode, bad).toBe("InvalidAddress");
    }
  });
});

describe("what the sandbox's SQS does not do", () => {
  it("answers other operations with UnknownOperationException", async () => {
    const url = `https://sqs.us-east-1.amazonaws.com/${accountId}/email-outbound`;
    for (const args of [
      ["send-message", "--queue-url", url, "--message-body", "x"],
      ["receive-message", "--queue-url", url],
      ["create-queue", "--queue-name", "new-queue"],
    ]) {
      const r = await cli("sqs", ...args);
      expect(r.ok ? "ok" : r.errorCode, args[0]).toBe("UnknownOperationException");
    }
  });

  it("throttles with RequestThrottled under the sqs fault rule", async () => {
    sb.setFaults({ sqs: { throttleRate: 1 } });
    try {
      const r = await cli("sqs", "list-queues");
      expect(r.ok ? "ok" : r.errorCode).toBe("RequestThrottled");
    } finally {
      sb.setFaults({});
    }
    expect((await cli("sqs", "list-queues")).ok).toBe(true);
  });
});
