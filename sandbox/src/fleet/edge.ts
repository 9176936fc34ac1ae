/**
 * Lambda@Edge in the sandbox: a function in us-east-1 that CloudFront runs as copies ("replicas") in the AWS
 * regions nearest its viewers. A replica is visible only through its logs and metrics in the region where it ran.
 *
 * What AWS documents, and what the sandbox does with it:
 * - The function must be in us-east-1, and CloudFront runs a numbered version, never $LATEST or an alias
 *   (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-at-edge-function-restrictions.html).
 * - Associating a version adds a statement to the function's resource policy letting the Lambda replication
 *   service (`replicator.lambda.amazonaws.com`) call lambda:GetFunction on that version
 *   (lambda:EnableReplication*, https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-edge-permissions.html).
 *   That is the only statement the association adds: no Condition, so no SourceArn naming the distribution, and
 *   no trigger type. `edgelambda.amazonaws.com` belongs in the execution role's TRUST policy (IAM, which the
 *   sandbox does not serve), never in the function's resource policy. Which distribution and which CloudFront
 *   event run the version is CloudFront's knowledge (ListDistributionsByLambdaFunction), not Lambda's: the
 *   sandbox keeps the distribution in its model only.
 * - Replicas log to `/aws/lambda/us-east-1.<name>` in each region where they ran (the prefix is the region the
 *   function was created in; https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-functions-logs.html).
 * - Their AWS/Lambda metrics are published in the region of execution; the guide does not name the dimension.
 *   Decision: FunctionName = `us-east-1.<name>`, the same name as the log group, so a replica's series and its
 *   REPORT lines count the same invocations (one simulated SimFunction per replica).
 *
 * Invariants: replicas are pure functions of (seed, function, region); the replica's version is the associated
 * version with the region's error rate; replicas have no tracing (Lambda@Edge has no X-Ray), no aliases, no
 * provisioned or reserved concurrency, and no traffic before the association.
 */
import { alignMinute } from "./healthy";
import type { EdgeReplication, FunctionVersion, RegionState, SimFunction } from "./model";
import { deriveSeed, type Rng } from "./prng";

export const EDGE_HOME_REGION = "us-east-1";
const DAY = 86_400_000;

/** `us-east-1.<name>`: a replica's log group suffix and metric FunctionName. */
export const replicaName = (functionName: string) => `${EDGE_HOME_REGION}.${functionName}`;

/** Replicas of the planted Edge function: one region with errors, one the demo does not host as a fleet region. */
export const EDGE_REPLICAS: EdgeReplication["replicas"] = [
  { region: "us-east-1", peakPerMinute: 12, errorRate: 0 },
  { region: "eu-west-1", peakPerMinute: 8, errorRate: 0.06 },
  { region: "ap-northeast-1", peakPerMinute: 5, errorRate: 0 },
];

/** Makes `fn` an Edge function: associated (version `version`) with a distribution, replicated to EDGE_REPLICAS. */
export function associateWithCloudFront(
  fn: SimFunction,
  accountId: string,
  nowMs: number,
  rng: Rng,
  version: string,
): void {
  const distributionArn = `arn:aws:cloudfront::${accountId}:distribution/E${rng.hex(13).toUpperCase()}`;
  const published = fn.versions.find((v) => v.version === version)?.lastModifiedMs ?? fn.createdMs;
  fn.edge = {
    version,
    associatedMs: alignMinute(Math.max(published, nowMs - 10 * DAY)),
    distributionArn,
    replicas: EDGE_REPLICAS.map((r) => ({ ...r })),
  };
  fn.pushSources = [
    ...(fn.pushSources ?? []),
    {
      sid: `replicator.lambda.GetFunction-${rng.hex(8)}`,
      principal: "replicator.lambda.amazonaws.com",
      action: "lambda:GetFunction",
      qualifier: version,
      sourceArn: null,
      sourceAccount: null,
    },
  ];
  fn.policyRevisionId = rng.uuid();
}

function replica(
  fn: SimFunction,
  edge: EdgeReplication,
  seed: number,
  r: EdgeReplication["replicas"][number],
) {
  const associated = fn.versions.find((v) => v.version === edge.version) ?? fn.latest;
  const cfg: FunctionVersion = {
    ...associated,
    environment: {},
    layers: [],
    behaviour: { ...associated.behaviour, errorRate: r.errorRate, downstream: [] },
  };
  const out: SimFunction = {
    name: replicaName(fn.name),
    region: r.region,
    role: fn.role,
    packageType: "Zip",
    logGroup: `/aws/lambda/${replicaName(fn.name)}`,
    logFormat: "Text",
    tracing: "PassThrough",
    snapStart: false,
    reservedConcurrency: null,
    latest: cfg,
    versions: [cfg],
    aliases: [],
    provisioned: [],
    tags: {},
    traffic: {
      peakPerMinute: r.peakPerMinute,
      dailyDip: 0.5,
      burstChance: 0,
      burstFactor: 1,
      viaAlias: null,
    },
    scenario: fn.scenario,
    createdMs: edge.associatedMs,
    seed: deriveSeed(seed, `edge/${r.region}/${fn.name}`),
    replicaOf: { region: fn.region, functionName: fn.name, version: edge.version },
  };
  return out;
}

/**
 * Places the replicas of every Edge function of us-east-1 in the regions where they ran. A region outside the
 * fleet's gets a RegionState with no functions: the account can reach it, its Lambda API lists nothing, and its
 * Logs and CloudWatch hold only the replicas' telemetry.
 */
export function placeEdgeReplicas(
  regions: Map<string, RegionState>,
  seed: number,
  accountConcurrency: number,
) {
  const home = regions.get(EDGE_HOME_REGION);
  for (const fn of home?.functions.values() ?? []) {
    if (!fn.edge) continue;
    for (const r of fn.edge.replicas) {
      let state = regions.get(r.region);
      if (!state) {
        state = { region: r.region, accountConcurrency, functions: new Map() };
        regions.set(r.region, state);
      }
      state.replicas ??= new Map();
      const copy = replica(fn, fn.edge, seed, r);
      state.replicas.set(copy.name, copy);
    }
  }
}
