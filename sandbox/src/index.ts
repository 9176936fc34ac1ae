/**
 * The sandbox AWS accounts: a local endpoint for Lambda, CloudWatch, CloudWatch Logs, X-Ray, SQS, STS and
 * Organizations (see README.md).
 */
export { startSandbox, type Sandbox, type SandboxOptions, type StatsByAccount } from "./server";
export type { SandboxAccountSpec, SandboxRoleSpec } from "./accounts/spec";
export {
  generateAccount,
  accountIdFor,
  DEFAULT_REGIONS,
  DEFAULT_FUNCTIONS_PER_REGION,
  type GenerateOptions,
} from "./fleet/generate";
export { PLANTED, PLANTED_NAMES } from "./fleet/planted";
export { FaultConfigSchema, type FaultConfig, type FaultRule } from "./faults";
export type { SandboxAccount, SimFunction, Scenario } from "./fleet/model";
export type {
  AccountDirectory,
  CallerIdentity,
  SandboxContext,
  SandboxQuotas,
  ServiceName,
} from "./http/types";
