/**
 * The sandbox's HTTP front end: one loopback endpoint for Lambda, CloudWatch, CloudWatch Logs, X-Ray and SQS.
 *
 * Per request: control endpoints (`/_sandbox/*`, no auth) first; otherwise require SigV4 credentials (not
 * verified), resolve service + region from the credential scope, the caller's account from the access key id
 * (accounts/credentials.ts), reject regions that account lacks, apply fault injection, dispatch to the service
 * handler with that account's context, and count `service.Operation` per account. Every error is in the
 * service's protocol — a handler exception becomes that service's 500, never an HTML page.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { accessKeyAccounts, resolveCaller } from "./accounts/credentials";
import { buildDirectory } from "./accounts/directory";
import { createSessionStore } from "./accounts/sessions";
import { resolveAccounts, type SandboxAccountSpec } from "./accounts/spec";
import { handleCloudWatch } from "./cloudwatch/handler";
import { createFaultInjector, FaultConfigSchema, type FaultConfig } from "./faults";
import type { SandboxAccount } from "./fleet/model";
import type {
  RoutedService,
  SandboxContext,
  SandboxRequest,
  SandboxResponse,
  ServiceHandler,
  ServiceName,
} from "./http/types";
import { handleLambda, lambdaOperation } from "./lambda/handler";
import { handleLogs } from "./logs/handler";
import { handleSqs } from "./sqs/handler";
import { internalError, serviceError, throttlingError } from "./protocol/errors";
import { createOrganizationsHandler } from "./organizations/handler";
import { credentialScope, resolveService, targetOperation, xrayOperation } from "./protocol/route";
import { createStsHandler } from "./sts/handler";
import { handleXRay } from "./xray/handler";

export interface SandboxOptions {
  /** 0 (default) picks an ephemeral port. */
  port?: number;
  host?: string;
  seed?: number;
  functionsPerRegion?: number;
  regions?: string[];
  now?: () => number;
  faults?: FaultConfig;
  /** Concurrent Logs Insights queries per region (default: AWS's quota, 100). */
  maxConcurrentQueries?: number;
  /** accounts[0] is the organization's management account; omitted = one account as before, no organization. */
  accounts?: SandboxAccountSpec[];
  /** OAM: that account is a monitoring account linked to those source accounts. */
  monitoring?: { accountId: string; sourceAccountIds: string[] };
  /** Access key id → account id, for long-term keys of other accounts (any other key acts in accounts[0]). */
  accessKeys?: Record<string, string>;
}

/** Per account id, per `service.Operation`. */
export type StatsByAccount = Record<string, Record<string, number>>;

export interface Sandbox {
  url: string;
  port: number;
  /** accounts[0]: the management account (the only one without `accounts`). */
  account: SandboxAccount;
  ctx: SandboxContext;
  accounts: SandboxAccount[];
  ctxFor(accountId: string): SandboxContext | undefined;
  setFaults(f: FaultConfig): void;
  /** Requests of every account together. */
  stats(): Record<string, number>;
  statsByAccount(): StatsByAccount;
  resetStats(): void;
  close(): Promise<void>;
}

const FLEET_HANDLERS: Record<ServiceName, ServiceHandler> = {
  lambda: handleLambda,
  monitoring: handleCloudWatch,
  logs: handleLogs,
  xray: handleXRay,
  sqs: handleSqs,
};

const isFleetService = (s: RoutedService): s is ServiceName => s in FLEET_HANDLERS;

/** The operation name before dispatch, for per-operation fault overrides. */
function operationOf(req: SandboxRequest): string | null {
  if (req.service === "lambda") return lambdaOperation(req);
  if (req.service === "sts")
    return req.query.get("Action") ?? new URLSearchParams(req.body.toString("utf8")).get("Action");
  if (req.service === "xray") return xrayOperation(req.path);
  return targetOperation(req.headers) ?? /\/operation\/([A-Za-z]+)$/.exec(req.path)?.[1] ?? null;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function lowerHeaders(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(",") : v;
  return out;
}

function send(res: http.ServerResponse, r: SandboxResponse): void {
  const body = typeof r.body === "string" ? Buffer.from(r.body) : r.body;
  res.writeHead(r.status, {
    "x-amzn-requestid": randomUUID(),
    "content-length": String(body.length),
    ...r.headers,
  });
  res.end(body);
}

const json = (status: number, body: unknown): SandboxResponse => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** Credential failures as each service reports them (STS has its own code for an unknown token). */
function credentialError(service: RoutedService, reason: "invalid-token" | "expired-token"): SandboxResponse {
  if (reason === "expired-token")
    return serviceError(
      service,
      403,
      "ExpiredTokenException",
      "The security token included in the request is expired",
    );
  const code = service === "sts" ? "InvalidClientTokenId" : "UnrecognizedClientException";
  return serviceError(service, 403, code, "The security token included in the request is invalid.");
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  if (
    opts.maxConcurrentQueries !== undefined &&
    !(Number.isInteger(opts.maxConcurrentQueries) && opts.maxConcurrentQueries >= 1)
  ) {
    throw new RangeError(`maxConcurrentQueries must be a positive integer, got ${opts.maxConcurrentQueries}`);
  }
  const now = opts.now ?? Date.now;
  const seed = opts.seed ?? 7;
  const specs = resolveAccounts(opts.accounts, {
    seed,
    functionsPerRegion: opts.functionsPerRegion,
    regions: opts.regions,
  });
  const { directory, specs: specById } = buildDirectory({
    accounts: specs,
    organization: opts.accounts !== undefined,
    monitoring: opts.monitoring,
    now,
    quotas: { concurrentQueries: opts.maxConcurrentQueries },
  });
  const accessKeys = accessKeyAccounts(opts.accessKeys ?? {}, (id) => specById.has(id));
  const contexts = specs.map((a) => directory.get(a.id) as SandboxContext);
  const ctx = contexts[0] as SandboxContext;
  const account = ctx.account;
  const sessions = createSessionStore();
  const handlers: Record<RoutedService, ServiceHandler> = {
    ...FLEET_HANDLERS,
    sts: createStsHandler({ accounts: specById, sessions }),
    organizations: createOrganizationsHandler({ directory, accounts: specs, startedAtMs: now() }),
  };
  const faults = createFaultInjector(seed, opts.faults ?? {});
  let counters = new Map<string, Map<string, number>>();
  const count = (accountId: string, key: string) => {
    let perAccount = counters.get(accountId);
    if (!perAccount) counters.set(accountId, (perAccount = new Map()));
    perAccount.set(key, (perAccount.get(key) ?? 0) + 1);
  };
  const statsByAccount = (): StatsByAccount =>
    Object.fromEntries([...counters].map(([id, c]) => [id, Object.fromEntries(c)]));
  const totals = (): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const c of counters.values()) for (const [k, n] of c) out[k] = (out[k] ?? 0) + n;
    return out;
  };
  const functionCount = (a: SandboxAccount) => {
    let functions = 0;
    for (const r of a.regions.values()) functions += r.functions.size;
    return functions;
  };

  function control(method: string, url: URL, body: Buffer): SandboxResponse {
    const path = url.pathname;
    if (method === "GET" && path === "/_sandbox/health") {
      return json(200, {
        status: "ok",
        accountId: account.accountId,
        seed,
        regions: [...account.regions.keys()],
        functions: functionCount(account),
        accounts: contexts.map((c) => ({
          accountId: c.account.accountId,
          name: specById.get(c.account.accountId)?.name ?? null,
          functions: functionCount(c.account),
        })),
      });
    }
    if (method === "GET" && path === "/_sandbox/stats")
      return json(200, url.searchParams.get("by") === "account" ? statsByAccount() : totals());
    if (method === "POST" && path === "/_sandbox/stats/reset") {
      counters = new Map();
      return json(200, {});
    }
    if (method === "GET" && path === "/_sandbox/faults") return json(200, faults.get());
    if (method === "POST" && path === "/_sandbox/faults") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString("utf8") || "{}");
      } catch {
        return json(400, { message: "body must be JSON" });
      }
      const config = FaultConfigSchema.safeParse(parsed);
      if (!config.success) return json(400, { message: "invalid FaultConfig", issues: config.error.issues });
      faults.set(config.data);
      return json(200, faults.get());
    }
    return json(404, { message: `unknown control endpoint ${method} ${path}` });
  }

  async function handle(raw: http.IncomingMessage): Promise<SandboxResponse> {
    const url = new URL(raw.url ?? "/", "http://sandbox.local");
    const method = raw.method ?? "GET";
    const body = await readBody(raw);
    if (url.pathname.startsWith("/_sandbox/")) return control(method, url, body);

    const headers = lowerHeaders(raw);
    const scope = credentialScope(headers, url.searchParams);
    const service = resolveService(scope, headers, url.pathname);
    if (!service)
      return serviceError(
        "logs",
        400,
        "UnknownOperationException",
        `Cannot route request ${method} ${url.pathname}`,
      );
    if (!scope)
      return serviceError(
        service,
        403,
        "MissingAuthenticationTokenException",
        "Missing Authentication Token",
      );
    const resolved = resolveCaller(headers, url.searchParams, {
      sessions,
      management: directory.management,
      accessKeys,
      now,
    });
    if (!resolved.ok) return credentialError(service, resolved.reason);
    const caller = resolved.caller;
    const callerCtx = directory.get(caller.accountId) as SandboxContext;
    const req: SandboxRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
      region: scope.region,
      service,
      caller,
    };
    const operation = operationOf(req);
    if (operation) count(caller.accountId, `${service}.${operation}`);
    // A region the account does not have: AWS answers an unreachable (e.g. not opted-in) region with 403.
    // Organizations is global: its calls are served whatever region signed them.
    if (service !== "organizations" && !callerCtx.account.regions.has(scope.region))
      return credentialError(service, "invalid-token");

    if (isFleetService(service)) {
      const fault = faults.decide(service, operation);
      if (fault.latencyMs > 0) await sleep(fault.latencyMs);
      if (fault.kind === "throttle") return throttlingError(service);
      if (fault.kind === "error") return internalError(service);
    }

    const res = await handlers[service](req, callerCtx);
    if (!operation && res.operation) count(caller.accountId, `${service}.${res.operation}`);
    return res;
  }

  const server = http.createServer((raw, res) => {
    handle(raw).then(
      (r) => send(res, r),
      (e: unknown) => {
        const service = resolveService(
          credentialScope(lowerHeaders(raw), new URLSearchParams()),
          lowerHeaders(raw),
          raw.url ?? "/",
        );
        const message = e instanceof Error ? e.message : String(e);
        send(res, internalError(service ?? "lambda", `Internal sandbox error: ${message}`));
      },
    );
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = opts.host ?? "127.0.0.1";

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    account,
    ctx,
    accounts: contexts.map((c) => c.account),
    ctxFor: (accountId) => directory.get(accountId),
    setFaults: (f) => faults.set(f),
    stats: totals,
    statsByAccount,
    resetStats: () => {
      counters = new Map();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
