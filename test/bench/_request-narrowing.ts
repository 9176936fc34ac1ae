/**
 * The request page's lookup (findRequest) for one request, two ways, same sandbox, same run: the narrowed link
 * the console's pages build (`?region&fn&at`: one log group, ±20 min of the REPORT) and a bare request id (the
 * region's fleet, up to MAX_GROUPS groups, over the last hour). AWS requests are counted by the page's own meter
 * and cross-checked at the sandbox (`/_sandbox/stats`). Prints one JSON line.
 * Usage: npm run bench -- request-narrowing [runs]   (default 5; the median time is printed)
 */
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { XRayClient } from "@aws-sdk/client-xray";
import { clientConfig } from "@/lib/aws/client-config";
import { createLambdaPort } from "@/lib/aws/lambda";
import { createLogEventsPort } from "@/lib/aws/logs-events";
import { createXRayPort } from "@/lib/aws/xray";
import { parseEnv } from "@/lib/config/env-schema";
import type { TraceDeps } from "@/lib/data/traces/deps";
import { findRequest } from "@/lib/data/traces/request-view";
import { startSandbox } from "@fleetscope/sandbox";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";

const RUNS = Number(process.argv[2] ?? 5);
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const REGION = "us-east-1";
const AROUND_MS = 20 * 60_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main() {
  const sb = await startSandbox({ port: 0, seed: 7, now: () => NOW });
  const home = (): AccountTarget => ({
    id: parseAccountId(sb.account.accountId),
    name: null,
    source: "home",
    roleArn: null,
    externalId: null,
    telemetry: "direct",
  });
  const settings = parseEnv({ AWS_ENDPOINT_URL: sb.url, FLEETSCOPE_AWS_MAX_ATTEMPTS: "1" });
  const clients: { destroy(): void }[] = [];
  const make = <T extends { destroy(): void }>(c: T) => (clients.push(c), c);
  const deps: TraceDeps = {
    xray: (r, meter) =>
      createXRayPort(make(new XRayClient(clientConfig(r, settings))), r, {
        onRequest: (op) => meter.record(op),
      }),
    logs: (r, meter) =>
      createLogEventsPort(make(new CloudWatchLogsClient(clientConfig(r, settings))), r, {
        onRequest: (op) => meter.record(op),
      }),
    lambda: (r) => createLambdaPort(make(new LambdaClient(clientConfig(r, settings))), r),
    regions: () => [REGION],
    now: () => NOW,
  };
  try {
    // An untraced audit-trail request (JSON logs) from the last hour: the page reads its logs, no trace.
    const logs = make(new CloudWatchLogsClient(clientConfig(REGION, settings)));
    const found = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: "/custom/audit-trail",
        startTime: NOW - 30 * 60_000,
        endTime: NOW - 5 * 60_000,
        filterPattern: '"platform.report"',
      }),
    );
    const report = (found.events ?? []).find((e) => !(e.message ?? "").includes('"tracing"'));
    if (!report?.message || report.timestamp === undefined)
      throw new Error("no untraced audit-trail request");
    const requestId = (JSON.parse(report.message) as { record: { requestId: string } }).record.requestId;
    const at = report.timestamp;

    const stats = async () =>
      (await (await fetch(`${sb.url}/_sandbox/stats`)).json()) as Record<string, number>;
    const reset = () => fetch(`${sb.url}/_sandbox/stats/reset`, { method: "POST" });
    const measure = async (lookup: () => ReturnType<typeof findRequest>) => {
      const times: number[] = [];
      let requests = 0;
      let atSandbox = 0;
      let byOperation: Record<string, number> = {};
      for (let i = 0; i < RUNS; i++) {
        await reset();
        const t = performance.now();
        const view = await lookup();
        times.push(performance.now() - t);
        if (view.requestId !== requestId) throw new Error("found another request");
        requests = view.cost.total;
        byOperation = view.cost.byOperation;
        atSandbox = Object.values(await stats()).reduce((a, b) => a + b, 0);
      }
      return { awsRequests: requests, atSandbox, byOperation, medianMs: Math.round(median(times) * 10) / 10 };
    };

    const narrowed = await measure(() =>
      findRequest(
        requestId,
        {
          account: home(),
          region: REGION,
          functionName: "audit-trail",
          from: at - AROUND_MS,
          to: at + AROUND_MS,
        },
        deps,
      ),
    );
    // A bare id: the page searches the shell range (here the last hour) over the region's fleet.
    const bare = await measure(() =>
      findRequest(requestId, { account: home(), region: REGION, from: NOW - 3_600_000, to: NOW }, deps),
    );
    console.log(JSON.stringify({ bench: "request-narrowing", runs: RUNS, requestId, narrowed, bare }));
  } finally {
    for (const c of clients) c.destroy();
    await sb.close();
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
