/** Lambda's coded errors (botocore model 'lambda'), thrown inside the API and rendered once by the handler. */
export class LambdaError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "LambdaError";
  }
}

export const notFound = (message: string) => new LambdaError(404, "ResourceNotFoundException", message);
export const invalidParameter = (message: string) =>
  new LambdaError(400, "InvalidParameterValueException", message);
/** AWS's request-validation failure (the "1 validation error detected: …" family). */
export const validation = (value: string, member: string, constraint: string) =>
  new LambdaError(
    400,
    "ValidationException",
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
export const preconditionFailed = (resource: "GetAlias" | "GetFunction") =>
  new LambdaError(
    412,
    "PreconditionFailedException",
    `The Revision Id provided does not match the latest Revision Id. Call the ${resource} API to retrieve the latest Revision Id`,
  );
