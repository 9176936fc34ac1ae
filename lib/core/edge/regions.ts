/**
 * Where to look for a Lambda@Edge function's replicas. CloudFront runs a replica in the AWS region of the
 * regional edge cache nearest the viewer, and the replica logs and publishes metrics there
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-functions-logs.html: "creating log
 * streams in the AWS Regions where the functions are invoked"). AWS does not list those regions in an API, so
 * the console searches the configured regions plus the regional edge cache regions below.
 *
 * Invariants: the result has no duplicates, keeps the configured regions first (in their order), then the edge
 * cache regions in this table's order; an explicit list (FLEETSCOPE_EDGE_REGIONS) replaces the default entirely.
 */

/**
 * Regions with a CloudFront regional edge cache (CloudFront developer guide, "Global edge network" / "Regional
 * edge caches"): US East (N. Virginia, Ohio), US West (N. California, Oregon), Asia Pacific (Mumbai, Seoul,
 * Singapore, Sydney, Tokyo), Europe (Frankfurt, Ireland, London), South America (São Paulo).
 */
export const REGIONAL_EDGE_CACHE_REGIONS: readonly string[] = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ap-south-1",
  "ap-northeast-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-northeast-1",
  "eu-central-1",
  "eu-west-1",
  "eu-west-2",
  "sa-east-1",
];

/** The regions an Edge function's replicas are searched in: the explicit list, else configured + edge caches. */
export function edgeSearchRegions(
  configured: readonly string[],
  explicit: readonly string[] | null,
): string[] {
  return [...new Set(explicit ?? [...configured, ...REGIONAL_EDGE_CACHE_REGIONS])];
}
