import { describe, expect, it } from "vitest";
import { isFleetscopeError } from "@/lib/core/errors";
import { parseEnv } from "@/lib/config/env-schema";

const failure = (raw: Record<string, string>) => {
  try {
    parseEnv(raw);
  } catch (e) {
    return e;
  }
  throw new Error("expected parseEnv to throw");
};

describe("parseEnv", () => {
  it("defaults to us-east-1, no endpoint, writable", () => {
    const env = parseEnv({});
    expect(env.regions).toEqual(["us-east-1"]);
    expect(env.endpointUrl).toBeNull();
    expect(env.endpointIsLoopback).toBe(false);
    expect(env.readOnly).toBe(false);
    expect(env.awsMaxAttempts).toBe(5);
  });

  it("splits, trims and de-duplicates regions", () => {
    expect(parseEnv({ FLEETSCOPE_REGIONS: " us-east-1, eu-west-1,us-east-1 ," }).regions).toEqual([
      "us-east-1",
      "eu-west-1",
    ]);
  });

  it("lists every bad variable in one error", () => {
    const e = failure({
      FLEETSCOPE_REGIONS: "us-east-1,mars-north-9x",
      AWS_ENDPOINT_URL: "ftp://example.com",
      FLEETSCOPE_READ_ONLY: "maybe",
    });
    expect(isFleetscopeError(e) && e.code).toBe("InvalidInput");
    const message = (e as Error).message;
    expect(message).toContain("FLEETSCOPE_REGIONS");
    expect(message).toContain("mars-north-9x");
    expect(message).toContain("AWS_ENDPOINT_URL");
    expect(message).toContain("FLEETSCOPE_READ_ONLY");
  });

  it("reads the Advisor's default look-back, and names the allowed values when it is wrong", () => {
    expect(parseEnv({}).advisorDays).toBe(7);
    expect(parseEnv({ FLEETSCOPE_ADVISOR_DAYS: "1" }).advisorDays).toBe(1);
    const message = (failure({ FLEETSCOPE_ADVISOR_DAYS: "5" }) as Error).message;
    expect(message).toContain("FLEETSCOPE_ADVISOR_DAYS");
    expect(message).toContain("must be one of 1, 3, 7, 14");
  });

  it("recognises a loopback endpoint and configured credentials", () => {
    const sandbox = parseEnv({ AWS_ENDPOINT_URL: "http://127.0.0.1:4566" });
    expect(sandbox.endpointIsLoopback).toBe(true);
    expect(sandbox.hasConfiguredCredentials).toBe(false);
    const remote = parseEnv({ AWS_ENDPOINT_URL: "https://lambda.example.com", AWS_PROFILE: "prod" });
    expect(remote.endpointIsLoopback).toBe(false);
    expect(remote.hasConfiguredCredentials).toBe(true);
  });

  it("reads the read-only flag and treats empty values as unset", () => {
    expect(parseEnv({ FLEETSCOPE_READ_ONLY: "1" }).readOnly).toBe(true);
    expect(parseEnv({ FLEETSCOPE_REGIONS: "", AWS_ENDPOINT_URL: "" }).regions).toEqual(["us-east-1"]);
  });
});
