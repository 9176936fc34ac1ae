/** Which account a trace's documents or summary name (lib/data/traces/trace-account.ts), as OAM reads need. */
import { describe, expect, it } from "vitest";
import { summaryIsOf, traceIsOf } from "@/lib/data/traces/trace-account";

const fnArn = (account: string) => `arn:aws:lambda:us-east-1:${account}:function:orders:8`;
const segment = (doc: object) => ({ id: "s", document: JSON.stringify(doc) });

describe("traceIsOf", () => {
  it("reads the account from a Lambda resource ARN or an account id field", () => {
    const xray = [segment({ name: "orders", resource_arn: fnArn("222222222222") })];
    expect(traceIsOf(xray, "222222222222")).toBe(true);
    expect(traceIsOf(xray, "333333333333")).toBe(false);
    const otel = [segment({ resource: { attributes: { "cloud.account.id": "333333333333" } } })];
    expect(traceIsOf(otel, "333333333333")).toBe(true);
    expect(traceIsOf(otel, "222222222222")).toBe(false);
  });

  it("accepts a trace that names no account (nothing contradicts it)", () => {
    expect(
      traceIsOf([segment({ name: "client", http: { request: { url: "https://x" } } })], "2".repeat(12)),
    ).toBe(true);
  });
});

describe("summaryIsOf", () => {
  it("reads the summary's resource ARNs", () => {
    const s = { resourceArns: [fnArn("222222222222"), "arn:aws:dynamodb:us-east-1:444444444444:table/t"] };
    expect(summaryIsOf(s, "222222222222")).toBe(true);
    expect(summaryIsOf(s, "333333333333")).toBe(false);
    expect(summaryIsOf({ resourceArns: [] }, "333333333333")).toBe(true);
  });
});
