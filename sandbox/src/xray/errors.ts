/** X-Ray's error codes (botocore model 'xray': InvalidRequestException 400, ThrottledException 429). */
import type { SandboxResponse } from "../http/types";
import { restJsonError } from "../protocol/errors";

export class XRayRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "XRayRequestError";
  }
}

/** The model names the member `Message`; SDKs also read `message`, which restJsonError writes. */
export const invalidRequest = (message: string, operation?: string): SandboxResponse => ({
  ...restJsonError(400, "InvalidRequestException", message, { Message: message }),
  ...(operation ? { operation } : {}),
});
