/**
 * The `aws` CLI acting in one account of a several-account sandbox: an independent reader of what that account
 * holds (its aliases, metrics, traces). The sandbox's dummy keys act in the management account; any other account
 * is reached as the console reaches it, through `sts assume-role` on its role.
 */
import { awsCliJson, type AwsCliOptions } from "@fleetscope/sandbox/testing/awscli";

/** Credentials for awsCli's `env`: the management account's dummy keys, or an assumed role's. */
export type CliCredentials = Record<string, string>;

export const MANAGEMENT: CliCredentials = {};

export interface AssumedCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
}

/**
 * Assumes `arn:aws:iam::<account>:role/<role>` with the management account's keys. awsCli clears
 * AWS_SESSION_TOKEN (a developer's must never reach the sandbox), so the token goes in AWS_SECURITY_TOKEN, the
 * older name botocore still reads.
 */
export async function assumeRoleIn(
  endpoint: string,
  account: string,
  role = "fleetscope",
): Promise<CliCredentials> {
  const { Credentials: c } = await awsCliJson<{ Credentials: AssumedCredentials }>(endpoint, [
    "sts",
    "assume-role",
    "--role-arn",
    `arn:aws:iam::${account}:role/${role}`,
    "--role-session-name",
    "e2e-reader",
  ]);
  return {
    AWS_ACCESS_KEY_ID: c.AccessKeyId,
    AWS_SECRET_ACCESS_KEY: c.SecretAccessKey,
    AWS_SECURITY_TOKEN: c.SessionToken,
  };
}

const as = (credentials: CliCredentials, region = "us-east-1"): AwsCliOptions => ({
  region,
  env: credentials,
});

/** The account the credentials act in, as STS says. */
export const callerAccount = async (endpoint: string, credentials: CliCredentials): Promise<string> =>
  (await awsCliJson<{ Account: string }>(endpoint, ["sts", "get-caller-identity"], as(credentials))).Account;

export interface AccountAlias {
  FunctionVersion: string;
  RevisionId: string;
  RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> };
}

export const getAliasAs = (endpoint: string, credentials: CliCredentials, fn: string, alias: string) =>
  awsCliJson<AccountAlias>(
    endpoint,
    ["lambda", "get-alias", "--function-name", fn, "--name", alias],
    as(credentials),
  );

/** Sum of one function's AWS/Lambda metric over the window at 1-minute periods, in that account's CloudWatch. */
export async function metricSumAs(
  endpoint: string,
  credentials: CliCredentials,
  fn: string,
  metric: string,
  window: { start: number; end: number },
): Promise<number> {
  const r = await awsCliJson<{ MetricDataResults: { Values: number[] }[] }>(
    endpoint,
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
              MetricName: metric,
              Dimensions: [{ Name: "FunctionName", Value: fn }],
            },
            Period: 60,
            Stat: "Sum",
          },
        },
      ]),
    ],
    as(credentials),
  );
  return (r.MetricDataResults[0]?.Values ?? []).reduce((a, v) => a + v, 0);
}

/** Whether X-Ray in that account returns the trace (BatchGetTraces: another account's id comes back unprocessed). */
export async function holdsTrace(
  endpoint: string,
  credentials: CliCredentials,
  traceId: string,
): Promise<boolean> {
  const r = await awsCliJson<{ Traces: { Id: string }[] }>(
    endpoint,
    ["xray", "batch-get-traces", "--trace-ids", traceId],
    as(credentials),
  );
  return r.Traces.some((t) => t.Id === traceId);
}
