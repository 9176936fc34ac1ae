/**
 * The sandbox's HTTP front end: one loopback endpoint for Lambda, CloudWatch, CloudWatch Logs, X-Ray and SQS.
 *
 * Per request: control endpoints (`/_sandbox/*`, no auth) first; otherwise require SigV4 credentials (not
 * verified), resolve service + region from the credential scope, reject regions the account lacks, apply fault
 * injection, dispatch to the service handler, and count `service.Operation`. Every error is JSON in the
 * service's protocol — a handler exception becomes that service's 500, never an HTML page.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { handleCloudWatch } from "./cloudwatch/handler";
import { createFaultInjector, FaultConfigSchema, type FaultConfig } from "./faults";
import { generateAccount } from "./fleet/generate";
import type { SandboxAccount } from "./fleet/model";
import type {
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
import { credentialScope, resolveService, targetOperation, xrayOperation } from "./protocol/route";
import { createSimulator } from "./sim/simulator";
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
}

export interface Sandbox {
  url: string;
  port: number;
  account: SandboxAccount;
  ctx: SandboxContext;
  setFaults(f: FaultConfig): void;
  stats(): Record<string, number>;
  resetStats(): void;
  close(): Promise<void>;
}

const HANDLERS: Record<ServiceName, ServiceHandler> = {
  lambda: handleLambda,
  monitoring: handleCloudWatch,
  logs: handleLogs,
  xray: handleXRay,
  sqs: handleSqs,
};

/** The operation name before dispatch, for per-operation fault overrides. */
function operationOf(req: SandboxRequest): string | null {
  if (req.service === "lambda") return lambdaOperation(req);
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

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  if (
    opts.maxConcurrentQueries !== undefined &&
    !(Number.isInteger(opts.maxConcurrentQueries) && opts.maxConcurrentQueries >= 1)
  ) {
    throw new RangeError(`maxConcurrentQueries must be a positive integer, got ${opts.maxConcurrentQueries}`);
  }
  const now = opts.now ?? Date.now;
  const seed = opts.seed ?? 7;
  const account = generateAccount({
    seed,
    functionsPerRegion: opts.functionsPerRegion,
    regions: opts.regions,
    nowMs: now(),
  });
  const ctx: SandboxContext = {
    account,
    now,
    sim: createSimulator(account, { now }),
    quotas: { concurrentQueries: opts.maxConcurrentQueries },
  };
  const faults = createFaultInjector(seed, opts.faults ?? {});
  let counters = new Map<string, number>();
  const count = (key: string) => counters.set(key, (counters.get(key) ?? 0) + 1);

  function control(method: string, path: string, body: Buffer): SandboxResponse {
    if (method === "GET" && path === "/_sandbox/health") {
      let functions = 0;
      for (const r of account.regions.values()) functions += r.functions.size;
      return json(200, {
        status: "ok",
        accountId: account.accountId,
        seed,
        regions: [...account.regions.keys()],
        functions,
      });
    }
    if (method === "GET" && path === "/_sandbox/stats") return json(200, Object.fromEntries(counters));
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
    if (url.pathname.startsWith("/_sandbox/")) return control(method, url.pathname, body);

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
    const req: SandboxRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
      region: scope.region,
      service,
    };
    const operation = operationOf(req);
    if (operation) count(`${service}.${operation}`);
    // A region the account does not have: AWS answers an unreachable (e.g. not opted-in) region with 403.
    if (!account.regions.has(scope.region))
      return serviceError(
        service,
        403,
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
      );

    const fault = faults.decide(service, operation);
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (fault.kind === "throttle") return throttlingError(service);
    if (fault.kind === "error") return internalError(service);

    const res = await HANDLERS[service](req, ctx);
    if (!operation && res.operation) count(`${service}.${res.operation}`);
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
    setFaults: (f) => faults.set(f),
    stats: () => Object.fromEntries(counters),
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
