/**
 * Runs the real `aws` CLI (v1, botocore) against a sandbox URL: an independent client for conformance tests.
 * Dummy credentials, no pager, JSON output; never through a shell.
 */
import { execFile } from "node:child_process";

export type AwsCliResult =
  | { ok: true; json: unknown; stdout: string }
  | {
      ok: false;
      code: number;
      stderr: string;
      /** The AWS error code botocore printed, e.g. ResourceNotFoundException. */ errorCode: string | null;
    };

export interface AwsCliOptions {
  region?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

const ERROR_CODE = /An error occurred \(([A-Za-z0-9.]+)\)/;

export function awsCli(endpointUrl: string, args: string[], opts: AwsCliOptions = {}): Promise<AwsCliResult> {
  const fullArgs = [
    "--endpoint-url",
    endpointUrl,
    "--region",
    opts.region ?? "us-east-1",
    "--output",
    "json",
    ...args,
  ];
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_PAGER: "",
    AWS_MAX_ATTEMPTS: "1",
    AWS_RETRY_MODE: "standard",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    ...opts.env,
  };
  delete (env as Record<string, string | undefined>).AWS_PROFILE;
  delete (env as Record<string, string | undefined>).AWS_SESSION_TOKEN;
  return new Promise((resolve) => {
    execFile(
      "aws",
      fullArgs,
      { env, timeout: opts.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const code = typeof err.code === "number" ? err.code : 1;
          resolve({ ok: false, code, stderr, errorCode: ERROR_CODE.exec(stderr)?.[1] ?? null });
          return;
        }
        resolve({ ok: true, json: stdout.trim() === "" ? null : (JSON.parse(stdout) as unknown), stdout });
      },
    );
  });
}

/** Like awsCli but throws with stderr when the CLI fails: for calls a test expects to succeed. */
export async function awsCliJson<T = Record<string, unknown>>(
  endpointUrl: string,
  args: string[],
  opts?: AwsCliOptions,
): Promise<T> {
  const r = await awsCli(endpointUrl, args, opts);
  if (!r.ok) throw new Error(`aws ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.json as T;
}

/**
 * Sum of one function's AWS/Lambda metric (Stat Sum at `periodSeconds`) over a window, as the `aws` CLI reads it;
 * `opts` (e.g. another account's key in `env`) signs as someone else.
 */
export async function cliMetricSum(
  endpointUrl: string,
  functionName: string,
  metricName: string,
  window: { start: number; end: number },
  periodSeconds: number,
  opts?: AwsCliOptions,
): Promise<number> {
  const r = await awsCliJson<{ MetricDataResults: { Values: number[] }[] }>(
    endpointUrl,
    [
      "cloudwatch",
      "get-metric-data",
      "--start-time",
      new Date(window.start).toISOString(),
      "--end-time",
      new Date(window.end).toISOString(),
      "--metric-data-queries",
      JSON.stringify([
        {
          Id: "m",
          MetricStat: {
            Metric: {
              Namespace: "AWS/Lambda",
              MetricName: metricName,
              Dimensions: [{ Name: "FunctionName", Value: functionName }],
            },
            Period: periodSeconds,
            Stat: "Sum",
          },
        },
      ]),
    ],
    opts,
  );
  return (r.MetricDataResults[0]?.Values ?? []).reduce((a, v) => a + v, 0);
}

/** An alias as `aws lambda get-alias` prints it: the fields the traffic tests read. */
export interface CliAlias {
  FunctionVersion: string;
  RevisionId: string;
  RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> };
}

export const cliGetAlias = (endpointUrl: string, functionName: string, alias: string): Promise<CliAlias> =>
  awsCliJson<CliAlias>(endpointUrl, [
    "lambda",
    "get-alias",
    "--function-name",
    functionName,
    "--name",
    alias,
  ]);

/**
 * The first row of a Logs Insights query over [start, end) of one log group, as the `aws` CLI runs it (start-query,
 * then get-query-results until Complete), its values as numbers. Insights' end time is inclusive and in seconds:
 * the query ends at the window's last second. No row (nothing matched) is an empty object.
 */
export async function cliInsightsRow(
  endpointUrl: string,
  group: string,
  window: { start: number; end: number },
  query: string,
): Promise<Record<string, number>> {
  const started = await awsCliJson<{ queryId: string }>(endpointUrl, [
    "logs",
    "start-query",
    "--log-group-name",
    group,
    "--start-time",
    String(window.start / 1000),
    "--end-time",
    String(window.end / 1000 - 1),
    "--query-string",
    query,
  ]);
  for (let i = 0; i < 100; i++) {
    const r = await awsCliJson<{ status: string; results: { field: string; value: string }[][] }>(
      endpointUrl,
      ["logs", "get-query-results", "--query-id", started.queryId],
    );
    if (r.status === "Complete") {
      return Object.fromEntries((r.results[0] ?? []).map((c) => [c.field, Number(c.value)]));
    }
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error("query did not complete");
}
