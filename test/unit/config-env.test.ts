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
    expect(env.awsConnectTimeoutMs).toBe(3000);
    expect(env.awsRequestTimeoutMs).toBe(10_000);
    expect(env.planTickTimeoutSeconds).toBe(30);
  });

  it("takes AWS timeouts and the plan tick deadline in decimal, within range, and names bad ones", () => {
    const env = parseEnv({
      FLEETSCOPE_AWS_CONNECT_TIMEOUT_MS: "250",
      FLEETSCOPE_AWS_REQUEST_TIMEOUT_MS: "1500",
      FLEETSCOPE_PLAN_TICK_TIMEOUT_SECONDS: "45",
    });
    expect([env.awsConnectTimeoutMs, env.awsRequestTimeoutMs, env.planTickTimeoutSeconds]).toEqual([
      250, 1500, 45,
    ]);
    const e = failure({
      FLEETSCOPE_AWS_CONNECT_TIMEOUT_MS: "0",
      FLEETSCOPE_AWS_REQUEST_TIMEOUT_MS: "1e4",
      FLEETSCOPE_PLAN_TICK_TIMEOUT_SECONDS: "-5",
    });
    const message = (e as Error).message;
    expect(message).toMatch(/FLEETSCOPE_AWS_CONNECT_TIMEOUT_MS: must be a whole number from 1 to 60000/);
    expect(message).toMatch(/FLEETSCOPE_AWS_REQUEST_TIMEOUT_MS: .*"1e4"/);
    expect(message).toContain("FLEETSCOPE_PLAN_TICK_TIMEOUT_SECONDS");
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

describe("parseEnv: the collector's variables", () => {
  const message = (name: string, value: string) => (failure({ [name]: value }) as Error).message;

  it("reads them, with their defaults", () => {
    expect(parseEnv({}).collector).toEqual({
      mode: "embedded",
      backfillHours: 24,
      lambdaRequestsPerSecond: 2,
      insightsConcurrency: 4,
    });
    const set = parseEnv({
      FLEETSCOPE_COLLECTOR: "off",
      FLEETSCOPE_COLLECTOR_BACKFILL_HOURS: "336",
      FLEETSCOPE_COLLECTOR_LAMBDA_RPS: "0.5",
      FLEETSCOPE_COLLECTOR_INSIGHTS_CONCURRENCY: "10",
    }).collector;
    expect(set).toEqual({
      mode: "off",
      backfillHours: 336,
      lambdaRequestsPerSecond: 0.5,
      insightsConcurrency: 10,
    });
  });

  it.each(["abc", "-1", "0", "1e9", "24h", " ", "0x10", "1e2", "2.5", "337"])(
    "refuses FLEETSCOPE_COLLECTOR_BACKFILL_HOURS=%j, naming the range and the value",
    (value) => {
      expect(message("FLEETSCOPE_COLLECTOR_BACKFILL_HOURS", value)).toContain(
        `FLEETSCOPE_COLLECTOR_BACKFILL_HOURS: must be a whole number from 1 to 336 (hours; 336 = 14 days), got "${value}"`,
      );
    },
  );

  it.each(["abc", "-1", "0", "1e9", "24h", " ", "0x1", "11", "15", "16"])(
    "refuses FLEETSCOPE_COLLECTOR_LAMBDA_RPS=%j, within AWS's ~15/s account limit",
    (value) => {
      const m = message("FLEETSCOPE_COLLECTOR_LAMBDA_RPS", value);
      expect(m).toContain("FLEETSCOPE_COLLECTOR_LAMBDA_RPS: must be a number above 0 and at most 10");
      expect(m).toContain("AWS allows about 15 per account");
      expect(m).toContain(`got "${value}"`);
    },
  );

  it.each(["abc", "-1", "0", "1e9", "4x", " ", "1.5", "101"])(
    "refuses FLEETSCOPE_COLLECTOR_INSIGHTS_CONCURRENCY=%j, naming the range",
    (value) => {
      expect(message("FLEETSCOPE_COLLECTOR_INSIGHTS_CONCURRENCY", value)).toContain(
        `FLEETSCOPE_COLLECTOR_INSIGHTS_CONCURRENCY: must be a whole number from 1 to 100`,
      );
    },
  );

  it("refuses an unknown collector mode", () => {
    expect(message("FLEETSCOPE_COLLECTOR", "OFF")).toContain("FLEETSCOPE_COLLECTOR: must be embedded or off");
  });

  it("refuses a lease shorter than two plan ticks, naming both variables (a live runner's lease would lapse)", () => {
    const e = failure({ FLEETSCOPE_LEASE_SECONDS: "15", FLEETSCOPE_PLAN_TICK_SECONDS: "10" });
    expect(isFleetscopeError(e) && e.code).toBe("InvalidInput");
    expect((e as Error).message).toContain(
      "FLEETSCOPE_LEASE_SECONDS: must be at least 2 × FLEETSCOPE_PLAN_TICK_SECONDS",
    );
    expect(
      parseEnv({ FLEETSCOPE_LEASE_SECONDS: "20", FLEETSCOPE_PLAN_TICK_SECONDS: "10" }).leaseSeconds,
    ).toBe(20);
  });

  it("reads the PostgreSQL pool settings, and refuses a pool of none", () => {
    const env = parseEnv({
      FLEETSCOPE_DATABASE_URL: "postgres://fleetscope:secret@db:5432/fleetscope",
      FLEETSCOPE_DATABASE_POOL_SIZE: "25",
      FLEETSCOPE_DATABASE_STATEMENT_TIMEOUT_MS: "30000",
    });
    expect(env).toMatchObject({
      databaseUrl: "postgres://fleetscope:secret@db:5432/fleetscope",
      databasePoolSize: 25,
      databaseStatementTimeoutMs: 30_000,
      databaseConnectTimeoutMs: 5_000,
    });
    expect((failure({ FLEETSCOPE_DATABASE_POOL_SIZE: "0" }) as Error).message).toContain(
      "FLEETSCOPE_DATABASE_POOL_SIZE",
    );
  });
});
