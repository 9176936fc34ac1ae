/**
 * The contract between the sandbox's HTTP server and each simulated service. The server parses the request,
 * works out the service and region from the SigV4 credential scope (as AWS's front end does), applies fault
 * injection, then calls the service's handler.
 */
import type { SandboxAccount } from "../fleet/model";
import type { Simulator } from "../sim/types";

export type ServiceName = "lambda" | "monitoring" | "logs" | "xray" | "sqs";

export interface SandboxRequest {
  method: string;
  /** Path without the query string, percent-decoding left to the handler (function names can be ARNs). */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>; // lower-cased names
  body: Buffer;
  region: string;
  service: ServiceName;
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

export interface SandboxContext {
  account: SandboxAccount;
  /** The sandbox clock (epoch ms). Tests may pin it; the demo follows real time. */
  now(): number;
  sim: Simulator;
  quotas?: SandboxQuotas;
}

export type ServiceHandler = (
  req: SandboxRequest,
  ctx: SandboxContext,
) => Promise<SandboxResponse> | SandboxResponse;
