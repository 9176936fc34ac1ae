/** Accounts: ids, role ARNs, filters, targets and their configuration (pure). */
export { parseAccountId, isAccountId, type AccountId } from "./account-id";
export { parseRoleArn, roleArnIn, isRoleName, PARTITIONS, type RoleArn } from "./role-arn";
export { accountSelected, globMatches, parseFilterEntry, EVERY_ACCOUNT, type AccountFilter } from "./filter";
export type { AccountSource, AccountTarget } from "./target";
export {
  parseAccountsVariables,
  DEFAULT_SESSION_NAME,
  type AccountsConfig,
  type AccountsVariables,
  type AccountsParse,
  type EnvProblem,
} from "./config";
export { scopeKey, functionRefKey, sameScope, type Scope, type FunctionRef } from "./scope";
