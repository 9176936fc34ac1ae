/**
 * IAM role ARNs: `arn:<partition>:iam::<12 digits>:role/[path/]name`. IAM is global, so the region field is
 * empty. Names are 1–64 of `[\w+=,.@-]`; a path is `/`-separated segments of the same characters (IAM allows a
 * little more in paths, but nothing a role path written by hand needs).
 */
import { invalidInput } from "@/lib/core/errors";
import { isAccountId, type AccountId } from "./account-id";

export interface RoleArn {
  arn: string;
  partition: string;
  accountId: AccountId;
  /** The name without its path: what `sts:AssumeRole` shows in the assumed-role ARN. */
  roleName: string;
}

/** The partitions whose IAM and STS the console can reach. */
export const PARTITIONS = ["aws", "aws-cn", "aws-us-gov"] as const;

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const PATH_SEGMENT = /^[\w+=,.@-]+$/;

export const isRoleName = (raw: string): boolean => ROLE_NAME.test(raw);

const notRoleArn = (raw: string, why: string) =>
  invalidInput(`"${raw}" is not a role ARN: ${why}`, { value: raw });

export function parseRoleArn(raw: string): RoleArn {
  const parts = raw.split(":");
  if (parts.length !== 6 || parts[0] !== "arn")
    throw notRoleArn(raw, "expected arn:<partition>:iam::<account>:role/<name>");
  const [, partition, service, region, accountId, resource] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!(PARTITIONS as readonly string[]).includes(partition))
    throw notRoleArn(raw, `the partition must be one of ${PARTITIONS.join(", ")}, got "${partition}"`);
  if (service !== "iam") throw notRoleArn(raw, `the service must be iam, got "${service}"`);
  if (region !== "") throw notRoleArn(raw, `IAM ARNs have no region, got "${region}"`);
  if (!isAccountId(accountId)) throw notRoleArn(raw, "the account must be 12 digits");
  if (!resource.startsWith("role/"))
    throw notRoleArn(raw, `the resource must be role/<name>, got "${resource}"`);
  const segments = resource.slice("role/".length).split("/");
  const roleName = segments.pop() ?? "";
  if (!isRoleName(roleName))
    throw notRoleArn(raw, `the role name must be 1 to 64 of letters, digits and +=,.@_-, got "${roleName}"`);
  if (!segments.every((s) => PATH_SEGMENT.test(s)))
    throw notRoleArn(raw, "the role path must be segments of letters, digits and +=,.@_- separated by /");
  return { arn: raw, partition, accountId, roleName };
}

/** The ARN of the role `roleName` (optionally `path/name`) in an account, checked as parseRoleArn checks it. */
export function roleArnIn(partition: string, accountId: AccountId, roleName: string): string {
  return parseRoleArn(`arn:${partition}:iam::${accountId}:role/${roleName}`).arn;
}
