/**
 * A counting proxy in front of the sandbox: every AWS request a console makes passes through it and is counted
 * by `service.Operation` (service from the SigV4 credential scope, operation named as the sandbox names it), so a
 * test sees exactly what one console cost AWS, apart from the `aws` CLI and any other console.
 *
 * Every UpdateAlias that LANDED (the sandbox answered 2xx) is also recorded with the routing it set and the
 * revisions it went from and to, in the order the sandbox answered. It is recorded even when the console that
 * sent it died before reading the answer (kill -9 mid-call): that is exactly the change a takeover must adopt.
 *
 * Invariants: requests are forwarded unchanged (same method, path, headers, body), answers returned unchanged;
 * the counters only grow until `reset()`.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { lambdaOperation } from "@fleetscope/sandbox/lambda/handler";

/** The alias routing an UpdateAlias produced, as the sandbox answered it. */
export interface LandedAliasUpdate {
  /** Order of the sandbox's answers (1, 2, …), across all aliases. */
  seq: number;
  functionName: string;
  alias: string;
  /** The RevisionId the call was based on (null: sent without one). */
  basedOnRevisionId: string | null;
  revisionId: string;
  primaryVersion: string;
  /** AdditionalVersionWeights after the call ({} when all traffic is on the primary). */
  weights: Record<string, number>;
}

export interface AwsCountingProxy {
  /** Point a console's AWS_ENDPOINT_URL here. */
  url: string;
  /** Requests per `service.Operation` since the last reset. */
  counts(): Record<string, number>;
  /** All requests since the last reset. */
  total(): number;
  /** Landed UpdateAlias calls since the last reset, in the sandbox's order. */
  aliasUpdates(): LandedAliasUpdate[];
  reset(): void;
  close(): Promise<void>;
}

const SCOPE = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;
const UPDATE_ALIAS_PATH = /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)$/;

function operationOf(req: http.IncomingMessage, url: URL): string {
  const service = SCOPE.exec(req.headers.authorization ?? "")?.[2] ?? "unknown";
  const target = req.headers["x-amz-target"];
  const op =
    typeof target === "string"
      ? target.slice(target.lastIndexOf(".") + 1)
      : service === "lambda"
        ? lambdaOperation({ method: req.method ?? "GET", path: url.pathname, query: url.searchParams })
        : (/\/operation\/([A-Za-z]+)$/.exec(url.pathname)?.[1] ?? `${req.method} ${url.pathname}`);
  return `${service}.${op ?? `${req.method} ${url.pathname}`}`;
}

interface UpdateAliasBody {
  RevisionId?: string;
}
interface AliasAnswer {
  RevisionId?: string;
  FunctionVersion?: string;
  RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> } | null;
}

export async function startAwsCountingProxy(target: string): Promise<AwsCountingProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let counts = new Map<string, number>();
  let updates: LandedAliasUpdate[] = [];
  let seq = 0;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://proxy.local");
    const op = operationOf(req, url);
    counts.set(op, (counts.get(op) ?? 0) + 1);
    const aliasPath = op === "lambda.UpdateAlias" ? UPDATE_ALIAS_PATH.exec(url.pathname) : null;
    const sent: Buffer[] = [];
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        const status = answer.statusCode ?? 502;
        if (aliasPath && status >= 200 && status < 300) {
          // Buffered (small JSON) so the landing is recorded even if the caller is gone.
          const body: Buffer[] = [];
          answer.on("data", (c: Buffer) => body.push(c));
          answer.on("end", () => {
            const request = JSON.parse(Buffer.concat(sent).toString("utf8") || "{}") as UpdateAliasBody;
            const a = JSON.parse(Buffer.concat(body).toString("utf8")) as AliasAnswer;
            updates.push({
              seq: ++seq,
              functionName: decodeURIComponent(aliasPath[1] ?? ""),
              alias: decodeURIComponent(aliasPath[2] ?? ""),
              basedOnRevisionId: request.RevisionId ?? null,
              revisionId: a.RevisionId ?? "",
              primaryVersion: a.FunctionVersion ?? "",
              weights: a.RoutingConfig?.AdditionalVersionWeights ?? {},
            });
            if (res.destroyed) return;
            res.writeHead(status, answer.headers);
            res.end(Buffer.concat(body));
          });
          return;
        }
        res.writeHead(status, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => res.destroy());
    req.on("data", (c: Buffer) => {
      if (aliasPath) sent.push(c);
      forward.write(c);
    });
    req.on("end", () => forward.end());
    // A caller killed mid-request: the half-sent call never reaches the sandbox.
    req.on("close", () => {
      if (!req.complete) forward.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => Object.fromEntries(counts),
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    aliasUpdates: () => [...updates],
    reset() {
      counts = new Map();
      updates = [];
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
