/**
 * The ARN of a log group in another account, the form CloudWatch Logs takes for cross-account reads from a
 * monitoring account (StartQuery's `logGroupIdentifiers`, FilterLogEvents' `logGroupIdentifier`):
 * `arn:<partition>:logs:<region>:<account>:log-group:<name>`. No trailing `:*` — StartQuery refuses it.
 *
 * Invariant: every part is checked before it is joined, so a bad account id, region or group name is an
 * InvalidInput naming that part, never an ARN AWS would read as some other group.
 */
import { invalidInput } from "../errors";
import { validateLogGroupName } from "../query/insights";
import { isRegion } from "../regions";
import { isAccountId, type AccountId } from "./account-id";

/** A 12-digit account id, or InvalidInput saying what was given (`what` names where it came from). */
export function checkSourceAccountId(raw: string, what = "A source account id"): AccountId {
  if (!isAccountId(raw)) throw invalidInput(`${what} must be 12 digits, got "${raw.slice(0, 40)}".`);
  return raw;
}

/** The partition a region belongs to (AWS's China and GovCloud regions have their own). */
export function partitionOfRegion(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export interface LogGroupInAccount {
  region: string;
  accountId: string;
  logGroupName: string;
  /** Defaults to the region's partition. */
  partition?: string;
}

export function logGroupArn({ region, accountId, logGroupName, partition }: LogGroupInAccount): string {
  if (!isRegion(region)) throw invalidInput(`"${region.slice(0, 40)}" is not an AWS region.`);
  checkSourceAccountId(accountId);
  validateLogGroupName(logGroupName);
  const p = partition ?? partitionOfRegion(region);
  if (!/^aws(-[a-z]+)*$/.test(p)) throw invalidInput(`"${p.slice(0, 40)}" is not an AWS partition.`);
  return `arn:${p}:logs:${region}:${accountId}:log-group:${logGroupName}`;
}
