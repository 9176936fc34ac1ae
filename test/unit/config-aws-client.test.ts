import { describe, expect, it } from "vitest";
import { clientConfig } from "@/lib/aws/client-config";
import { parseEnv } from "@/lib/config/env-schema";

describe("clientConfig", () => {
  it("uses adaptive retries and no endpoint against real AWS", () => {
    const c = clientConfig("eu-west-1", parseEnv({ FLEETSCOPE_AWS_MAX_ATTEMPTS: "7" }));
    expect(c).toEqual({
      region: "eu-west-1",
      retryMode: "adaptive",
      maxAttempts: 7,
      requestHandler: { connectionTimeout: 3000, requestTimeout: 10_000, throwOnRequestTimeout: true },
    });
  });

  it("bounds every call with the configured connect and request timeouts", () => {
    const c = clientConfig(
      "us-east-1",
      parseEnv({ FLEETSCOPE_AWS_CONNECT_TIMEOUT_MS: "500", FLEETSCOPE_AWS_REQUEST_TIMEOUT_MS: "2500" }),
    );
    expect(c.requestHandler).toEqual({
      connectionTimeout: 500,
      requestTimeout: 2500,
      throwOnRequestTimeout: true,
    });
  });

  it("gives the sandbox dummy credentials only when nothing is configured", () => {
    const local = clientConfig("us-east-1", parseEnv({ AWS_ENDPOINT_URL: "http://127.0.0.1:4566" }));
    expect(local.endpoint).toBe("http://127.0.0.1:4566");
    expect(local.credentials).toEqual({ accessKeyId: "fleetscope", secretAccessKey: "sandbox" });

    const configured = clientConfig(
      "us-east-1",
      parseEnv({ AWS_ENDPOINT_URL: "http://localhost:4566", AWS_ACCESS_KEY_ID: "AKIA…" }),
    );
    expect(configured.credentials).toBeUndefined();
  });

  it("never invents credentials for a remote endpoint", () => {
    const c = clientConfig("us-east-1", parseEnv({ AWS_ENDPOINT_URL: "https://proxy.internal:8443" }));
    expect(c.endpoint).toBe("https://proxy.internal:8443");
    expect(c.credentials).toBeUndefined();
  });
});
