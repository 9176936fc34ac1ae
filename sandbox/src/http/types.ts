/**
 * The contract between the sandbox's HTTP server and each simulated service. The server parses the request,
 * works out the service and region from the SigV4 credential scope (as AWS's front end does), applies fault
 * injection, then calls the service's handler.
 */
import type { SandboxAccount } from "../fleet/model";
import type { Simulator } from "../sim/types";

/** The services that serve the simulated fleet (fault injection applies to them). */
export type ServiceName = "lambda" | "monitoring" | "logs" | "xray" | "sqs";
/** The account-level services: who the caller is (STS) and which accounts exist (Organizations). */
export type IdentityServiceName = "sts" | "organizations";
export type RoutedService = ServiceName | IdentityServiceName;

/** Who signed a request, resolved from its access key id (accounts/credentials.ts). */
export interface CallerIdentity {
  accountId: string;
  /** `arn:aws:iam::<acct>:user/fleetscope-sandbox` or `arn:aws:sts::<acct>:assumed-role/<role>/<session>`. */
  arn: string;
  /** GetCallerIdentity's UserId: `AIDA…` for the user, `AROA…:<session>` for an assumed role. */
  userId: string;
  /** Set when the credentials came from this sandbox's AssumeRole: role chaining caps their duration. */
  assumedRole: { roleName: string; sessionName: string } | null;
}

export interface SandboxRequest {
  method: string;
  /** Path without the query string, percent-decoding left to the handler (function names can be ARNs). */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>; // lower-cased names
  body: Buffer;
  region: string;
  service: RoutedService;
  /**
   * The identity whose credentials signed the request; its account is the handler's ctx.account. The server
   * always sets it; optional only so in-process test fixtures may build requests without one.
   */
  caller?: CallerIdentity;
}

export interface SandboxResponse {
  status: number;
  /** The AWS operation name (e.g. "ListFunctions"), for the sandbox's request counters. */
  operation?: string;
  headers?: Record<string, string>;
  body: string | Buffer;
}

/** Account quotas the sandbox enforces; an absent field takes AWS's default. */
export interface SandboxQuotas {
  /**
   * Logs Insights queries running at once per account and region; StartQuery beyond it is refused with
   * LimitExceededException (logs/queries.ts has the default and its source).
   */
  concurrentQueries?: number;
}

/** Every account of the sandbox, so a handler can reach another account's ctx (OAM, Organizations). */
export interface AccountDirectory {
  /** accounts[0]'s id: the organization's management account (the only account without `accounts`). */
  management: string;
  ids(): string[];
  /** Each account has its own ctx: fleet, simulator, quotas. */
  get(accountId: string): SandboxContext | undefined;
  /** OAM: the source accounts linked to this monitoring account ([] if it is not one). */
  linkedSources(accountId: string): string[];
  /** False when the sandbox was started without `accounts` (Organizations is then not in use). */
  organization: boolean;
}

export interface SandboxContext {
  account: SandboxAccount;
  /** The sandbox clock (epoch ms). Tests may pin it; the demo follows real time. */
  now(): number;
  sim: Simulator;
  quotas?: SandboxQuotas;
  /** Every ctx the server builds has it; optional only so in-process test fixtures may omit it. */
  directory?: AccountDirectory;
}

export type ServiceHandler = (
  req: SandboxRequest,
  ctx: SandboxContext,
) => Promise<SandboxResponse> | SandboxResponse;
