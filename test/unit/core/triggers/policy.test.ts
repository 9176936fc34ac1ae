import { describe, expect, it } from "vitest";
import { parsePolicy } from "@/lib/core/triggers/policy";

const FN = "arn:aws:lambda:us-east-1:123456789012:function:thumbnail-async";

/** The shape GetPolicy returns for an S3 permission (AddPermission with SourceArn and SourceAccount). */
const s3Statement = {
  Sid: "s3-uploads",
  Effect: "Allow",
  Principal: { Service: "s3.amazonaws.com" },
  Action: "lambda:InvokeFunction",
  Resource: FN,
  Condition: {
    StringEquals: { "AWS:SourceAccount": "123456789012" },
    ArnLike: { "AWS:SourceArn": "arn:aws:s3:::uploads" },
  },
};

const policy = (statement: unknown) =>
  JSON.stringify({ Version: "2012-10-17", Id: "default", Statement: statement });

describe("parsePolicy", () => {
  it("reads a service principal and its source ARN from a statement array", () => {
    expect(parsePolicy(policy([s3Statement]))).toEqual({
      readable: true,
      sources: [
        { sid: "s3-uploads", principal: "s3.amazonaws.com", kind: "s3", sourceArn: "arn:aws:s3:::uploads" },
      ],
    });
  });

  it("accepts a single statement object, ArnEquals, lower-case condition keys and listed values", () => {
    const reading = parsePolicy(
      policy({
        Effect: "Allow",
        Principal: { Service: ["sns.amazonaws.com", "events.amazonaws.com"] },
        Action: ["lambda:InvokeFunction"],
        Condition: {
          ArnEquals: { "aws:sourcearn": ["arn:aws:sns:us-east-1:1:a", "arn:aws:sns:us-east-1:1:b"] },
        },
      }),
    );
    expect(reading.readable && reading.sources.map((s) => [s.sid, s.kind, s.sourceArn])).toEqual([
      ["statement 1", "sns", "arn:aws:sns:us-east-1:1:a"],
      ["statement 1", "sns", "arn:aws:sns:us-east-1:1:b"],
      ["statement 1", "events", "arn:aws:sns:us-east-1:1:a"],
      ["statement 1", "events", "arn:aws:sns:us-east-1:1:b"],
    ]);
  });

  it("keeps account and public principals without a source, and skips Deny statements", () => {
    const reading = parsePolicy(
      policy([
        {
          Sid: "other-account",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::210987654321:root" },
          Action: "lambda:InvokeFunction",
        },
        { Sid: "public-url", Effect: "Allow", Principal: "*", Action: "lambda:InvokeFunctionUrl" },
        { Sid: "deny", Effect: "Deny", Principal: "*", Action: "lambda:*" },
        {
          Sid: "edge",
          Effect: "Allow",
          Principal: { Service: "edgelambda.amazonaws.com" },
          Action: "lambda:GetFunction",
        },
      ]),
    );
    expect(reading.readable && reading.sources).toEqual([
      { sid: "other-account", principal: "arn:aws:iam::210987654321:root", kind: "other", sourceArn: null },
      { sid: "public-url", principal: "*", kind: "other", sourceArn: null },
      { sid: "edge", principal: "edgelambda.amazonaws.com", kind: "cloudfront", sourceArn: null },
    ]);
  });

  it.each([
    ["not JSON", "{", /not JSON/],
    ["no Statement", JSON.stringify({ Version: "2012-10-17" }), /unexpected policy shape at Statement/],
    ["a number as Principal", policy([{ ...s3Statement, Principal: 42 }]), /at Statement/],
    ["an unknown Effect", policy([{ ...s3Statement, Effect: "Maybe" }]), /at Statement/],
    ["JSON null", "null", /unexpected policy shape/],
    ["an oversized text", " ".repeat(70_000), /over 65536/],
  ])("says a policy with %s is unreadable instead of throwing", (_, text, reason) => {
    const reading = parsePolicy(text);
    expect(reading.readable).toBe(false);
    expect(!reading.readable && reading.reason).toMatch(reason);
  });
});
