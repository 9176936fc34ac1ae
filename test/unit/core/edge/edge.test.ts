import { describe, expect, it } from "vitest";
import { checkEdgeConfig, type EdgeConfig } from "@/lib/core/edge/limits";
import { recogniseEdge, replicaFunctionName, replicaLogGroup } from "@/lib/core/edge/recognise";
import { edgeSearchRegions, REGIONAL_EDGE_CACHE_REGIONS } from "@/lib/core/edge/regions";
import { parsePolicy } from "@/lib/core/triggers/policy";
import type { PushSource } from "@/lib/core/triggers/types";
import { bytes, mb, seconds } from "@/lib/core/units";

const viewerSized: EdgeConfig = {
  memory: mb(128),
  timeout: seconds(5),
  envVarsSize: bytes(0),
  architecture: "x86_64",
  layers: [],
  packageType: "Zip",
  runtime: "nodejs22.x",
  ephemeralStorage: mb(512),
  deadLetterTarget: null,
};

const ids = (c: Partial<EdgeConfig>) => checkEdgeConfig({ ...viewerSized, ...c }).map((f) => f.id);

describe("checkEdgeConfig", () => {
  it("finds nothing wrong with a viewer-trigger-sized configuration", () => {
    expect(checkEdgeConfig(viewerSized)).toEqual([]);
  });

  it("allows memory and timeout above the viewer limits for origin triggers only, as warnings", () => {
    const findings = checkEdgeConfig({ ...viewerSized, memory: mb(1024), timeout: seconds(30) });
    expect(findings.map((f) => [f.id, f.severity])).toEqual([
      ["memory-viewer", "warning"],
      ["timeout-viewer", "warning"],
    ]);
    expect(findings[0]?.message).toBe(
      "Memory 1024 MB is allowed for origin triggers only: viewer triggers allow 128 MB.",
    );
  });

  it("refuses what no Edge trigger allows", () => {
    expect(ids({ timeout: seconds(31) })).toEqual(["timeout-origin"]);
    expect(ids({ memory: mb(10_241) })).toEqual(["memory-origin"]);
    expect(ids({ envVarsSize: bytes(40) })).toEqual(["environment-variables"]);
    expect(ids({ architecture: "arm64" })).toEqual(["architecture"]);
    expect(ids({ layers: [{ arn: "arn:aws:lambda:us-east-1:1:layer:x:1", codeSize: bytes(1) }] })).toEqual([
      "layers",
    ]);
    expect(ids({ packageType: "Image", runtime: null })).toEqual(["container-image"]);
    expect(ids({ runtime: "java21" })).toEqual(["runtime"]);
    expect(ids({ runtime: "python3.13" })).toEqual([]);
    expect(ids({ ephemeralStorage: mb(1024) })).toEqual(["ephemeral-storage"]);
    expect(ids({ deadLetterTarget: "arn:aws:sqs:us-east-1:1:dlq" })).toEqual(["dead-letter-queue"]);
    // Not read (an old inventory row) is not a DLQ.
    expect(ids({ deadLetterTarget: undefined })).toEqual([]);
  });

  it("writes each finding as one sentence", () => {
    const all = checkEdgeConfig({
      ...viewerSized,
      memory: mb(20_000),
      timeout: seconds(60),
      envVarsSize: bytes(10),
      architecture: "arm64",
      layers: [{ arn: "a", codeSize: bytes(1) }],
      ephemeralStorage: mb(2048),
      deadLetterTarget: "arn:aws:sns:us-east-1:1:t",
    });
    expect(all).toHaveLength(7);
    for (const f of all) expect(f.message).toMatch(/^[A-Z][^]*\.$/);
  });
});

const source = (
  principal: string,
  kind: PushSource["kind"],
  sourceArn: string | null = null,
  qualifier?: string,
): PushSource => ({
  sid: `sid-${principal}`,
  principal,
  kind,
  sourceArn,
  ...(qualifier === undefined ? {} : { qualifier }),
});

describe("recogniseEdge", () => {
  it("recognises the replicator's statement and names the version it replicates, never a distribution", () => {
    const r = recogniseEdge([
      source("replicator.lambda.amazonaws.com", "other", null, "3"),
      source("apigateway.amazonaws.com", "apigateway", "arn:aws:execute-api:us-east-1:1:abc/*"),
    ]);
    expect(r).toEqual({
      edge: true,
      evidence: ["sid-replicator.lambda.amazonaws.com (replicator.lambda.amazonaws.com)"],
      replicatedVersions: ["3"],
    });
  });

  it("lists every replicated version once, in version order", () => {
    const r = recogniseEdge([
      { ...source("replicator.lambda.amazonaws.com", "other", null, "12"), sid: "a" },
      { ...source("replicator.lambda.amazonaws.com", "other", null, "3"), sid: "b" },
      { ...source("replicator.lambda.amazonaws.com", "other", null, "12"), sid: "c" },
    ]);
    expect(r.edge && r.replicatedVersions).toEqual(["3", "12"]);
  });

  it("reads the statement and its version from a policy as GetPolicy returns it", () => {
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Id: "default",
      Statement: [
        {
          Sid: "replicator.lambda.GetFunction",
          Effect: "Allow",
          Principal: { Service: "replicator.lambda.amazonaws.com" },
          Action: "lambda:GetFunction",
          Resource: "arn:aws:lambda:us-east-1:123456789012:function:f:3",
        },
      ],
    });
    const reading = parsePolicy(policy);
    expect(reading.readable && recogniseEdge(reading.sources)).toEqual({
      edge: true,
      evidence: ["replicator.lambda.GetFunction (replicator.lambda.amazonaws.com)"],
      replicatedVersions: ["3"],
    });
  });

  it("does not take CloudFront's own principals for Edge: OAC for a function URL is not replication", () => {
    const dist = "arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE";
    expect(recogniseEdge([source("cloudfront.amazonaws.com", "cloudfront", dist)])).toEqual({ edge: false });
    expect(recogniseEdge([source("edgelambda.amazonaws.com", "cloudfront", dist)])).toEqual({ edge: false });
  });

  it("does not take other push sources, or none, for Edge", () => {
    expect(recogniseEdge([])).toEqual({ edge: false });
    expect(recogniseEdge([source("s3.amazonaws.com", "s3", "arn:aws:s3:::b")])).toEqual({ edge: false });
  });

  it("still recognises a replicator statement whose Resource names no version (an old store row)", () => {
    expect(recogniseEdge([source("replicator.lambda.amazonaws.com", "other")])).toMatchObject({
      edge: true,
      replicatedVersions: [],
    });
  });
});

describe("replica names", () => {
  it("prefixes us-east-1 for the default group and the metric name, and keeps a custom group", () => {
    expect(replicaFunctionName("edge-rewriter")).toBe("us-east-1.edge-rewriter");
    expect(replicaLogGroup("edge-rewriter", "/aws/lambda/edge-rewriter")).toBe(
      "/aws/lambda/us-east-1.edge-rewriter",
    );
    expect(replicaLogGroup("edge-rewriter", "/custom/edge")).toBe("/custom/edge");
  });
});

describe("edgeSearchRegions", () => {
  it("searches the configured regions first, then the edge cache regions, once each", () => {
    const regions = edgeSearchRegions(["eu-west-1", "me-south-1"], null);
    expect(regions.slice(0, 3)).toEqual(["eu-west-1", "me-south-1", "us-east-1"]);
    expect(new Set(regions).size).toBe(regions.length);
    expect(regions).toHaveLength(REGIONAL_EDGE_CACHE_REGIONS.length + 1);
  });

  it("uses an explicit list alone", () => {
    expect(edgeSearchRegions(["eu-west-1"], ["ap-northeast-1", "ap-northeast-1"])).toEqual([
      "ap-northeast-1",
    ]);
  });
});
