import { describe, expect, it } from "vitest";
import { checkSourceAccountId, logGroupArn, partitionOfRegion } from "@/lib/core/accounts/log-group-arn";
import { isFleetscopeError } from "@/lib/core/errors";

const invalid = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (isFleetscopeError(e) && e.code === "InvalidInput") return e.message;
    throw e;
  }
  throw new Error("expected InvalidInput");
};

describe("logGroupArn", () => {
  it("builds the ARN StartQuery takes for a source account's group, without a trailing :*", () => {
    expect(
      logGroupArn({
        region: "eu-west-1",
        accountId: "111122223333",
        logGroupName: "/aws/lambda/payments-api",
      }),
    ).toBe("arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/payments-api");
  });

  it("takes the partition from the region unless one is given", () => {
    expect(partitionOfRegion("cn-north-1")).toBe("aws-cn");
    expect(partitionOfRegion("us-gov-west-1")).toBe("aws-us-gov");
    expect(partitionOfRegion("us-east-1")).toBe("aws");
    expect(logGroupArn({ region: "cn-north-1", accountId: "111122223333", logGroupName: "g" })).toBe(
      "arn:aws-cn:logs:cn-north-1:111122223333:log-group:g",
    );
  });

  it("refuses a bad account id, region, group name or partition, saying which", () => {
    const ok = { region: "us-east-1", accountId: "111122223333", logGroupName: "/aws/lambda/a" };
    expect(invalid(() => logGroupArn({ ...ok, accountId: "11112222333" }))).toMatch(/12 digits.*11112222333/);
    expect(invalid(() => logGroupArn({ ...ok, accountId: "1111-2222-3333" }))).toMatch(/12 digits/);
    expect(invalid(() => logGroupArn({ ...ok, region: "us-east" }))).toMatch(
      /"us-east" is not an AWS region/,
    );
    expect(invalid(() => logGroupArn({ ...ok, logGroupName: "a:b" }))).toMatch(/not a valid log group name/);
    expect(invalid(() => logGroupArn({ ...ok, logGroupName: "a*" }))).toMatch(/not a valid log group name/);
    expect(invalid(() => logGroupArn({ ...ok, partition: "aws:x" }))).toMatch(/not an AWS partition/);
  });

  it("names where a bad source account came from", () => {
    expect(invalid(() => checkSourceAccountId("12", "Metric query q: the source account"))).toBe(
      'Metric query q: the source account must be 12 digits, got "12".',
    );
  });
});
