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

export function parseFunctionName(value: string): string {
  if (!FUNCTION_NAME.test(value) && !FUNCTION_ARN.test(value)) {
    throw invalidInput(
      `"${value}" is not a Lambda function name: 1–64 letters, digits, hyphens or underscores (or a function ARN).`,
      { value },
    );
  }
  return value;
}
