/**
 * The Logs adapter's control flow (chunking, polling schedule, deadline + StopQuery, missing-group splitting)
 * with a scripted client and an injected clock, so the schedule is exact and no timer runs. The same adapter
 * is exercised over HTTP against the sandbox in test/integration/aws/logs-adapter.test.ts.
 */
import {
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
  type CloudWatchLogsClient,
} from "@aws-sdk/client-cloudwatch-logs";
import { describe, expect, it } from "vitest";
import { createLogsPort, type Timing } from "@/lib/aws/logs";
import { epochMs } from "@/lib/core/units";

const window = { start: epochMs(1_000_000), end: epochMs(2_000_000) };

function fakeTiming(): Timing & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
    firstPollMs: 100,
    maxPollMs: 400,
    backoff: 2,
  };
}

interface Script {
  /** Polls before a query reports Complete. */
  pollsToComplete: number;
  missing?: Set<string>;
}

function fakeClient(script: Script) {
  const started: string[][] = [];
  const stopped: string[] = [];
  const polls = new Map<string, number>();
  const client = {
    send: async (cmd: unknown) => {
      if (cmd instanceof StartQueryCommand) {
        const groups = cmd.input.logGroupNames ?? [];
        if (groups.some((g) => script.missing?.has(g))) {
          throw Object.assign(new Error("The specified log group does not exist."), {
            name: "ResourceNotFoundException",
          });
        }
        started.push(groups);
        return { queryId: `q${started.length}` };
      }
      if (cmd instanceof GetQueryResultsCommand) {
        const id = cmd.input.queryId as string;
        const n = (polls.get(id) ?? 0) + 1;
        polls.set(id, n);
        if (n < script.pollsToComplete) return { status: "Running", results: [] };
        const groups = started[Number(id.slice(1)) - 1] ?? [];
        return {
          status: "Complete",
          results: groups.map((g) => [
            { field: "@log", value: `123456789012:${g}` },
            { field: "n", value: "1" },
            { field: "@ptr", value: "opaque" },
          ]),
        };
      }
      if (cmd instanceof StopQueryCommand) {
        stopped.push(cmd.input.queryId as string);
        return { success: true };
      }
      throw new Error("unexpected command");
    },
  };
  return { client: client as unknown as CloudWatchLogsClient, started, stopped };
}

const groups = (n: number) => Array.from({ length: n }, (_, i) => `/aws/lambda/f-${i}`);

describe("Logs Insights port", () => {
  it("runs one query per 50 groups and returns every row without @ptr", async () => {
    const { client, started } = fakeClient({ pollsToComplete: 1 });
    const port = createLogsPort(client, "us-east-1", fakeTiming());
    const r = await port.runInsights("stats count(*) as n by @log", groups(120), window, { timeoutMs: 1e9 });
    expect(started.map((g) => g.length)).toEqual([50, 50, 20]);
    expect(r.queries).toBe(3);
    expect(r.rows).toHaveLength(120);
    expect(r.rows[0]).toEqual({ "@log": "123456789012:/aws/lambda/f-0", n: "1" });
  });

  it("polls with a growing wait, capped, until Complete", async () => {
    const timing = fakeTiming();
    const { client } = fakeClient({ pollsToComplete: 5 });
    const port = createLogsPort(client, "us-east-1", timing);
    await port.runInsights("q", groups(1), window, { timeoutMs: 1e9 });
    expect(timing.slept).toEqual([100, 200, 400, 400, 400]);
  });

  it("stops the query and fails with Timeout past the deadline", async () => {
    const timing = fakeTiming();
    const { client, stopped } = fakeClient({ pollsToComplete: 100 });
    const port = createLogsPort(client, "us-east-1", timing);
    await expect(port.runInsights("q", groups(1), window, { timeoutMs: 1000 })).rejects.toMatchObject({
      code: "Timeout",
    });
    expect(stopped).toEqual(["q1"]);
    expect(timing.now()).toBeLessThanOrEqual(1000);
  });

  it("counts a relative timeoutMs on its own clock, from the call (the caller reads no clock)", async () => {
    const timing = fakeTiming();
    await timing.sleep(50_000); // the port's clock is far from any caller's replayed "now"
    const { client, stopped } = fakeClient({ pollsToComplete: 100 });
    const port = createLogsPort(client, "us-east-1", timing);
    await expect(port.runInsights("q", groups(1), window, { timeoutMs: 1000 })).rejects.toMatchObject({
      code: "Timeout",
    });
    expect(stopped).toEqual(["q1"]);
    // Polled until just before 1 s after the call, on the port's clock: not expired at once, not run forever.
    expect(timing.now() - 50_000).toBeGreaterThan(500);
    expect(timing.now() - 50_000).toBeLessThanOrEqual(1000);
  });

  it("splits a chunk around a missing group and keeps the others", async () => {
    const all = groups(8);
    const { client } = fakeClient({ pollsToComplete: 1, missing: new Set([all[5] as string]) });
    const port = createLogsPort(client, "us-east-1", fakeTiming());
    const r = await port.runInsights("q", all, window, { timeoutMs: 1e9 });
    expect(r.missingGroups).toEqual([all[5]]);
    expect(r.rows).toHaveLength(7);
  });

  it("rejects an invalid log group name before any call", async () => {
    const { client, started } = fakeClient({ pollsToComplete: 1 });
    const port = createLogsPort(client, "us-east-1", fakeTiming());
    await expect(port.runInsights("q", ["bad group!"], window, { timeoutMs: 1e9 })).rejects.toMatchObject({
      code: "InvalidInput",
    });
    expect(started).toHaveLength(0);
  });
});
