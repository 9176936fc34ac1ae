/** Placeholder until this service is implemented: every operation gets AWS's unknown-operation error. */
import type { ServiceHandler } from "../http/types";

export const handleCloudWatch: ServiceHandler = () => ({
  status: 400,
  headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": "UnknownOperationException" },
  body: JSON.stringify({
    __type: "UnknownOperationException",
    message: "Operation not supported (awsJson1_0)",
  }),
});
