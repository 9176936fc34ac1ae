/** The sandbox AWS account: a local endpoint for Lambda, CloudWatch, CloudWatch Logs and X-Ray (see README.md). */
export { startSandbox, type Sandbox, type SandboxOptions } from "./server";
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
export type { SandboxContext, SandboxQuotas, ServiceName } from "./http/types";
