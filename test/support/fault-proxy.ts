/**
 * A tiny HTTP proxy in front of an AWS-compatible endpoint (the sandbox), to take "AWS" down under a running
 * console without touching the console: `pass` forwards every request, `hang` accepts the request and never
 * answers (a black-holed endpoint: only the client's timeouts end it), `fail` answers HTTP 503 with an
 * AWS-style JSON error, which the SDK reads as `ServiceUnavailableException`. The mode is read per request, so
 * a switch applies to the very next call (kept-alive connections included).
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type FaultMode = "pass" | "hang" | "fail";

export interface FaultProxy {
  /** Point AWS_ENDPOINT_URL here. */
  url: string;
  mode: FaultMode;
  setMode(mode: FaultMode): void;
  /** The message of the 503 answered in `fail` mode (what a degraded panel should quote). */
  failMessage: string;
  close(): Promise<void>;
}

const FAIL_MESSAGE = "fault proxy: the service is unavailable (injected 503)";

export async function startFaultProxy(target: string, mode: FaultMode = "pass"): Promise<FaultProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    if (proxy.mode === "hang") return; // Read the request, never answer: close() ends the socket.
    if (proxy.mode === "fail") {
      req.resume();
      const body = JSON.stringify({ __type: "ServiceUnavailableException", message: FAIL_MESSAGE });
      res.writeHead(503, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        "x-amzn-requestid": "fault-proxy",
      });
      res.end(body);
      return;
    }
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => res.destroy());
    req.pipe(forward);
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

  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${port}`,
    mode,
    setMode(next) {
      proxy.mode = next;
    },
    failMessage: FAIL_MESSAGE,
    close() {
      // Hung requests hold their sockets open: end them, or close() would wait for the clients' timeouts.
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
