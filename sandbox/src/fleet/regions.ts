/**
 * The regions an AWS account reaches without opting in (AWS Account Management guide, "Specify which AWS Regions
 * your account can use": regions introduced before 20 March 2019 are enabled by default). The sandbox account
 * reaches these and its fleet regions; an opt-in region (af-south-1, ap-east-1, me-south-1, …) or a name that is
 * not a region answers 403 UnrecognizedClientException, as AWS does for a region the account has not enabled.
 */
export const ENABLED_BY_DEFAULT: readonly string[] = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "sa-east-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
  "ap-south-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-southeast-1",
  "ap-southeast-2",
];
