/** Input validation for use-cases: values from URLs and forms become typed values or InvalidInput errors. */
import { invalidInput } from "@/lib/core/errors";
import { isRegion } from "@/lib/core/regions";

// AWS FunctionName: a name, or a full/partial ARN (CreateFunction / GetFunction API reference).
const FUNCTION_NAME = /^[a-zA-Z0-9-_]{1,64}$/;
const FUNCTION_ARN =
  /^arn:aws[a-zA-Z-]*:lambda:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}:\d{12}:function:[a-zA-Z0-9-_]{1,64}(?::[a-zA-Z0-9-_$]+)?$/;

export function parseRegion(value: string): string {
  if (!isRegion(value))
    throw invalidInput(`"${value}" is not an AWS region name (like us-east-1).`, { value });
  return value;
}

/**
 * A region this console reads (FLEETSCOPE_REGIONS). A well-formed region outside the list would reach AWS (or
 * the sandbox) with no collector behind it and fail as "security token invalid"; say what is wrong instead,
 * and let no change go to a region nobody watches.
 */
export function parseConfiguredRegion(value: string, configured: readonly string[]): string {
  const region = parseRegion(value);
  if (!configured.includes(region)) {
    throw invalidInput(
      `Region "${region}" is not configured: this console reads ${configured.join(", ")} (FLEETSCOPE_REGIONS).`,
      { value, reason: "region-not-configured" },
    );
  }
  return region;
}

export function parseFunctionName(value: string): string {
  if (!FUNCTION_NAME.test(value) && !FUNCTION_ARN.test(value)) {
    throw invalidInput(
      `"${value}" is not a Lambda function name: 1–64 letters, digits, hyphens or underscores (or a function ARN).`,
      { value },
    );
  }
  return value;
}
