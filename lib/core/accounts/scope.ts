/**
 * Where things live once there are several accounts: a scope is one account in one region (what the collector
 * works through, what the store partitions by), and a function is named by its account, region and name together.
 * Keys are colon-joined: neither an account id (12 digits), a region nor a Lambda function name holds a colon.
 */
import type { AccountId } from "./account-id";

export interface Scope {
  account: AccountId;
  region: string;
}

export interface FunctionRef extends Scope {
  name: string;
}

/** "111111111111:us-east-1": a map key for one account-region. */
export const scopeKey = (s: Scope): string => `${s.account}:${s.region}`;

/** "111111111111:us-east-1:checkout": a map or cache key for one function. */
export const functionRefKey = (f: FunctionRef): string => `${f.account}:${f.region}:${f.name}`;

export const sameScope = (a: Scope, b: Scope): boolean => a.account === b.account && a.region === b.region;
