/**
 * Every AWS call is bounded: against a server that accepts connections and never answers, an adapter call
 * fails with a coded Timeout naming the service, the operation and the timeout, well before a user gives up;
 * and an abandoned call (AbortSignal) fails at once.
 */
import { createServer, type Server, type Socket } from "node:net";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAlarmPort } from "@/lib/aws/cloudwatch-alarms";
import { clientConfig } from "@/lib/aws/client-config";
import { createLambdaPort } from "@/lib/aws/lambda";
import { parseEnv } from "@/lib/config/env-schema";
import { isFleetscopeError } from "@/lib/core/errors";

let server: Server;
let url: string;
const sockets: Socket[] = [];
let accepted = 0;
const clients: { destroy(): void }[] = [];

beforeAll(async () => {
  // Accepts every connection, reads the request and never writes a byte back.
  server = createServer((s) => {
    accepted++;
    sockets.push(s);
    s.on("error", () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  url = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

function config(requestTimeoutMs: number, attempts = 1) {
  return clientConfig(
    "us-east-1",
    parseEnv({
      AWS_ENDPOINT_URL: url,
      FLEETSCOPE_AWS_MAX_ATTEMPTS: String(attempts),
      FLEETSCOPE_AWS_CONNECT_TIMEOUT_MS: "1000",
      FLEETSCOPE_AWS_REQUEST_TIMEOUT_MS: String(requestTimeoutMs),
    }),
  );
}

async function failure(p: Promise<unknown>) {
  const started = performance.now();
  try {
    await p;
  } catch (e) {
    return { e, ms: performance.now() - started };
  }
  throw new Error("expected the call to fail");
}

describe("a hung endpoint", () => {
  it("fails a Lambda call with Timeout naming the operation and the timeout", async () => {
    const client = new LambdaClient(config(300));
    clients.push(client);
    const before = accepted;
    const { e, ms } = await failure(createLambdaPort(client, "us-east-1").getAlias("payments-api", "live"));
    expect(isFleetscopeError(e) && e.code).toBe("Timeout");
    const message = (e as Error).message;
    expect(message).toContain("Lambda GetAlias payments-api:live");
    expect(message).toContain("300 ms");
    expect(message).not.toContain("@smithy");
    expect(ms).toBeGreaterThanOrEqual(280);
    expect(ms).toBeLessThan(2000);
    expect(accepted).toBeGreaterThan(before); // it did connect: the request timeout, not the connect one
  });

  it("bounds a CloudWatch call too, and retries are bounded by attempts × timeout", async () => {
    const client = new CloudWatchClient(config(250, 2));
    clients.push(client);
    const before = accepted;
    const { e, ms } = await failure(createAlarmPort(client).alarmStates(["payments-api-errors"]));
    expect(isFleetscopeError(e) && e.code).toBe("Timeout");
    expect((e as Error).message).toContain("CloudWatch DescribeAlarms");
    expect((e as Error).message).toContain("250 ms");
    expect(accepted - before).toBe(2);
    expect(ms).toBeLessThan(4000);
  });

  it("fails at once when the caller abandons the call", async () => {
    const client = new LambdaClient(config(60_000));
    clients.push(client);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const { e, ms } = await failure(
      createLambdaPort(client, "us-east-1").getAlias("payments-api", "live", { signal: controller.signal }),
    );
    expect(isFleetscopeError(e) && e.code).toBe("Timeout");
    expect((e as Error).message).toMatch(/Lambda GetAlias payments-api:live: AbortError: .*abandoned/);
    expect(ms).toBeLessThan(1500);
  });
});
