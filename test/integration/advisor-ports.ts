/** Region ports built exactly as the console builds them, pointed at a sandbox URL (for advisor tests). */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { clientConfig } from "@/lib/aws/client-config";
import { createCloudWatchPort } from "@/lib/aws/cloudwatch";
import { createMetricListPort } from "@/lib/aws/cloudwatch-list-metrics";
import { newSqsClient } from "@/lib/aws/clients";
import { createSqsPort } from "@/lib/aws/sqs";
import { createLambdaPort } from "@/lib/aws/lambda";
import { createLogsPort, DEFAULT_TIMING } from "@/lib/aws/logs";
import { parseEnv } from "@/lib/config/env-schema";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import type { RegionPorts } from "@/lib/data/advisor/collection";

/**
 * `maxAttempts` 1 lets quota errors reach the caller instead of being absorbed by the SDK's retries; it also
 * turns off the adaptive mode's client-side rate limiter, whose real-time waits after each throttle would make the
 * test measure the SDK's slowdown (seconds per request, varying run to run) instead of the caller's.
 */
export function sandboxPorts(url: string, maxAttempts = 3): (region: string) => RegionPorts {
  const settings = parseEnv({ AWS_ENDPOINT_URL: url, FLEETSCOPE_AWS_MAX_ATTEMPTS: String(maxAttempts) });
  return (region) => {
    const config = {
      ...clientConfig(region, settings),
      ...(maxAttempts === 1 ? { retryMode: "standard" } : {}),
    };
    const lambda = createLambdaPort(new LambdaClient(config), region);
    return {
      lambda,
      // The same adapter reads the triggers; SQS as the console builds its client (calls go to the endpoint).
      triggers: lambda,
      sqs: createSqsPort(newSqsClient(config as ReturnType<typeof clientConfig>), region),
      cloudwatch: createCloudWatchPort(new CloudWatchClient(config), region),
      metricList: createMetricListPort(new CloudWatchClient(config), region),
      // The sandbox completes a query on its second poll: poll quickly.
      logs: createLogsPort(new CloudWatchLogsClient(config), region, { ...DEFAULT_TIMING, firstPollMs: 20 }),
    };
  };
}

/** The console's own account as an account target (its own credentials, telemetry read directly). */
export const homeTarget = (id: string): AccountTarget => ({
  id: parseAccountId(id),
  name: null,
  source: "home",
  roleArn: null,
  externalId: null,
  telemetry: "direct",
});
