/**
 * The SQS adapter against the sandbox over HTTP, through the process's own client (sqsFor → clients.ts →
 * clientConfig, configured by AWS_ENDPOINT_URL as in the demo): queue attributes of the planted and healthy
 * queues, as the `aws` CLI (an independent client) reads them; error mapping (unknown queue, throttling,
 * an ARN of another region refused before any call); attribute strings of an unexpected shape from another SQS
 * implementation (never read as a number); and a hung endpoint bounded by the request timeout.
 */
import http from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientConfig, newSqsClient } from "@/lib/aws/clients";
import { createSqsPort, sqsFor, type SqsPort } from "@/lib/aws/sqs";
import { parseEnv } from "@/lib/config/env-schema";
import { isFleetscopeError } from "@/lib/core/errors";
import type { Sandbox } from "@fleetscope/sandbox";
import { awsCliJson } from "@fleetscope/sandbox/testing/awscli";
import { startTestSandbox } from "@fleetscope/sandbox/testing/sandbox";

const REGION = "us-east-1";
let sb: Sandbox;
let port: SqsPort;
const saved: Record<string, string | undefined> = {};
const arn = (name: string) => `arn:aws:sqs:${REGION}:${sb.account.accountId}:${name}`;

/** The attributes as the CLI reads them (same sandbox, independent client). */
const cliAttributes = async (name: string) => {
  const { QueueUrl } = await awsCliJson<{ QueueUrl: string }>(sb.url, [
    "sqs",
    "get-queue-url",
    "--queue-name",
    name,
  ]);
  const r = await awsCliJson<{ Attributes: Record<string, string> }>(sb.url, [
    "sqs",
    "get-queue-attributes",
    "--queue-url",
    QueueUrl,
    "--attribute-names",
    "All",
  ]);
  return r.Attributes;
};

const sqsCalls = () =>
  Object.entries(sb.stats())
    .filter(([k]) => k.startsWith("sqs."))
    .reduce((n, [, v]) => n + v, 0);

beforeAll(async () => {
  sb = await startTestSandbox({ regions: [REGION, "eu-west-1"] });
  // The env is read once per process (lib/config/env.ts): set it before the first client is built.
  const env = { AWS_ENDPOINT_URL: sb.url, FLEETSCOPE_AWS_MAX_ATTEMPTS: "1" };
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  port = sqsFor(REGION);
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await sb.close();
});

describe("SQS adapter", () => {
  it("reads email-sender's queue: 30 s of visibility, what the CLI reads, no redrive policy", async () => {
    const cli = await cliAttributes("email-outbound");
    const q = await port.queueAttributes(arn("email-outbound"));
    expect(q.visibilityTimeout).toBe(30);
    expect(q.visibilityTimeout).toBe(Number(cli.VisibilityTimeout));
    expect(q.messageRetention).toBe(Number(cli.MessageRetentionPeriod));
    expect(q.queueArn).toBe(cli.QueueArn);
    expect(q.queueArn).toBe(arn("email-outbound"));
    expect(cli.RedrivePolicy).toBeUndefined();
    expect(q.redrive).toBeNull();
  });

  it("reads a healthy consumer's queue with its redrive policy, as the CLI does", async () => {
    const { QueueUrls } = await awsCliJson<{ QueueUrls: string[] }>(sb.url, ["sqs", "list-queues"]);
    const names = QueueUrls.map((u) => u.slice(u.lastIndexOf("/") + 1));
    const source = names.find((n) => names.includes(`${n}-dlq`));
    if (!source) throw new Error(`no queue with a dead-letter queue among ${names.join(", ")}`);
    const cli = await cliAttributes(source);
    const policy = JSON.parse(cli.RedrivePolicy as string) as {
      deadLetterTargetArn: string;
      maxReceiveCount: number;
    };
    const q = await port.queueAttributes(arn(source));
    expect(q.redrive).toEqual({
      deadLetterTargetArn: policy.deadLetterTargetArn,
      maxReceiveCount: Number(policy.maxReceiveCount),
    });
    expect(q.redrive?.deadLetterTargetArn).toBe(arn(`${source}-dlq`));
    expect(q.visibilityTimeout).toBe(Number(cli.VisibilityTimeout));
    // The dead-letter queue exists and is readable too.
    const dlq = await port.queueAttributes(arn(`${source}-dlq`));
    expect(dlq.redrive).toBeNull();
    expect(dlq.messageRetention).toBe(Number((await cliAttributes(`${source}-dlq`)).MessageRetentionPeriod));
  });

  it("uses the configured endpoint, not the QueueUrl's host", () => {
    const config = newSqsClient(clientConfig(REGION, parseEnv({ AWS_ENDPOINT_URL: sb.url }))).config as {
      useQueueUrlAsEndpoint?: boolean;
    };
    expect(config.useQueueUrlAsEndpoint).toBe(false);
  });

  it("maps an unknown queue to NotFound with SQS's code", async () => {
    const e: unknown = await port.queueAttributes(arn("no-such-queue")).catch((err: unknown) => err);
    expect(isFleetscopeError(e) && e.code).toBe("NotFound");
    expect(isFleetscopeError(e) && e.details?.awsCode).toBe("QueueDoesNotExist");
    expect((e as Error).message).toContain("SQS GetQueueUrl no-such-queue");
  });

  it("refuses an ARN of another region, or no queue ARN, before any call", async () => {
    sb.resetStats();
    await expect(
      port.queueAttributes(`arn:aws:sqs:eu-west-1:${sb.account.accountId}:email-outbound`),
    ).rejects.toMatchObject({ code: "InvalidInput" });
    await expect(
      port.queueAttributes(`arn:aws:sns:${REGION}:${sb.account.accountId}:topic`),
    ).rejects.toMatchObject({
      code: "InvalidInput",
    });
    expect(sqsCalls()).toBe(0);
  });

  it("maps throttling to Throttled and a 5xx to Unavailable", async () => {
    sb.setFaults({ sqs: { throttleRate: 1 } });
    try {
      const e: unknown = await port.queueAttributes(arn("email-outbound")).catch((err: unknown) => err);
      expect(isFleetscopeError(e) && e.code).toBe("Throttled");
      expect(isFleetscopeError(e) && e.details?.awsCode).toBe("RequestThrottled");
      sb.setFaults({ sqs: { errorRate: 1 } });
      await expect(port.queueAttributes(arn("email-outbound"))).rejects.toMatchObject({
        code: "Unavailable",
      });
    } finally {
      sb.setFaults({});
    }
  });
});

describe("SQS adapter against a hung endpoint", () => {
  let server: Server;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    // Accepts every connection, reads the request and never answers.
    server = createServer((s) => {
      sockets.push(s);
      s.on("error", () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it("fails with Timeout naming the operation and the timeout", async () => {
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    const client = newSqsClient(
      clientConfig(
        REGION,
        parseEnv({
          AWS_ENDPOINT_URL: `http://127.0.0.1:${address.port}`,
          FLEETSCOPE_AWS_MAX_ATTEMPTS: "1",
          FLEETSCOPE_AWS_REQUEST_TIMEOUT_MS: "300",
        }),
      ),
    );
    try {
      const e: unknown = await createSqsPort(client, REGION)
        .queueAttributes(`arn:aws:sqs:${REGION}:123456789012:email-outbound`)
        .catch((err: unknown) => err);
      expect(isFleetscopeError(e) && e.code).toBe("Timeout");
      expect((e as Error).message).toContain("SQS GetQueueUrl email-outbound");
      expect((e as Error).message).toContain("300 ms");
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      client.destroy();
    }
  });
});

describe("SQS adapter against another implementation's answers", () => {
  let server: http.Server;
  let endpoint: string;
  let answer: Record<string, string> = {};
  const targets: string[] = [];

  beforeAll(async () => {
    // Speaks SQS's awsJson1_0 and hands out QueueUrls on AWS's host: calls must still come here.
    server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const target = String(req.headers["x-amz-target"] ?? "");
        targets.push(target);
        const body =
          target === "AmazonSQS.GetQueueUrl"
            ? { QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/orders" }
            : { Attributes: answer };
        res.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    endpoint = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  const read = async (attributes: Record<string, string>) => {
    answer = attributes;
    targets.length = 0;
    const client = newSqsClient(
      clientConfig(REGION, parseEnv({ AWS_ENDPOINT_URL: endpoint, FLEETSCOPE_AWS_MAX_ATTEMPTS: "1" })),
    );
    try {
      return await createSqsPort(client, REGION)
        .queueAttributes(`arn:aws:sqs:${REGION}:123456789012:orders`)
        .catch((err: unknown) => err);
    } finally {
      client.destroy();
    }
  };
  const base = {
    QueueArn: `arn:aws:sqs:${REGION}:123456789012:orders`,
    VisibilityTimeout: "180",
    MessageRetentionPeriod: "86400",
  };

  it("sends GetQueueAttributes to the endpoint, and reads a maxReceiveCount written as text", async () => {
    const r = await read({
      ...base,
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `${base.QueueArn}-dlq`, maxReceiveCount: "3" }),
    });
    expect(targets).toEqual(["AmazonSQS.GetQueueUrl", "AmazonSQS.GetQueueAttributes"]);
    expect(r).toEqual({
      queueArn: base.QueueArn,
      visibilityTimeout: 180,
      messageRetention: 86400,
      redrive: { deadLetterTargetArn: `${base.QueueArn}-dlq`, maxReceiveCount: 3 },
    });
    expect(await read({ ...base, RedrivePolicy: "" })).toMatchObject({ redrive: null });
  });

  it("refuses attributes it cannot back: Unavailable, never a number", async () => {
    for (const bad of [
      { ...base, VisibilityTimeout: "thirty" },
      { ...base, VisibilityTimeout: "-1" },
      { ...base, VisibilityTimeout: "43201" },
      { QueueArn: base.QueueArn, MessageRetentionPeriod: "86400" },
      { ...base, RedrivePolicy: "{not json" },
      { ...base, RedrivePolicy: JSON.stringify({ deadLetterTargetArn: "x", maxReceiveCount: 0 }) },
    ]) {
      const e = await read(bad);
      expect(isFleetscopeError(e) && e.code, JSON.stringify(bad)).toBe("Unavailable");
      expect((e as Error).message).toContain("SQS GetQueueAttributes orders");
    }
  });
});
