/**
 * Hostile inputs against every traffic mutation, end to end: a console of our own (`next start` on the shared
 * build, its own SQLite file) against the global sandbox, and a generated matrix of bad bodies and bad headers
 * (support/hostile-matrix.ts: which body each case rides on, and why) sent with a valid operator cookie and
 * Origin unless the header is the point.
 *
 * Every answer must be 4xx with a coded JSON error that leaks no stack or path; afterwards the sandbox aliases
 * (read with the aws CLI) are exactly as before and the audit log holds no "applied" entry.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { sessionKey, signSession } from "@/lib/auth/session";
import { planInputSchema, promoteInputSchema, shiftInputSchema } from "@/lib/core/traffic/inputs";
import { cliGetAlias } from "@fleetscope/sandbox/testing/awscli";
import {
  abortCases,
  bodyCases,
  encode,
  fieldCases,
  FN,
  headerCases,
  routeMatrices,
  type Credentials,
  type Facts,
  type HostileRequest,
} from "./support/hostile-matrix";
import { openConsoleSession, startOwnConsole, type OwnConsole } from "./support/own-console";
import "./support/provided";

const root = path.resolve(__dirname, "../..");
const SECRET = "e2e-hostile-secret-0123456789abcdef";
const CONCURRENCY = 8;

let own: OwnConsole;
let base: string;

// ------------------------------------------------------------------------------------------ the judgement

const ALLOWED = new Set([400, 401, 403, 404, 409, 413, 415]);
const CODE_OF_STATUS: Record<number, string> = {
  400: "InvalidInput",
  401: "Unauthenticated",
  403: "AccessDenied",
  404: "NotFound",
  409: "Conflict",
};
const LEAKS = [
  /\bat \//,
  /node_modules/,
  /\n\s+at /,
  /\.(?:ts|js):\d+/,
  new RegExp(root.replace(/[/.]/g, "\\$&")),
];

async function judge(res: Response): Promise<string | null> {
  const text = await res.text();
  if (!ALLOWED.has(res.status)) return `status ${res.status}: ${text.slice(0, 300)}`;
  let json: { error?: { code?: unknown; message?: unknown } };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    return `status ${res.status} with a body that is not JSON: ${text.slice(0, 120)}`;
  }
  const { code, message } = json.error ?? {};
  if (typeof code !== "string" || typeof message !== "string") return `no coded error: ${text.slice(0, 200)}`;
  const expected = CODE_OF_STATUS[res.status];
  if (expected && code !== expected) return `status ${res.status} with code ${code}`;
  const leak = LEAKS.find((p) => p.test(text));
  if (leak) return `leaks ${leak}: ${text.slice(0, 200)}`;
  return null;
}

async function sendAll(requests: HostileRequest[], cookie: string) {
  const byStatus: Record<string, number> = {};
  const failures: { label: string; problem: string }[] = [];
  let next = 0;
  const worker = async () => {
    for (let req = requests[next++]; req; req = requests[next++]) {
      const headers: Record<string, string> = { origin: base, cookie, "content-type": "application/json" };
      for (const [k, v] of Object.entries(req.headers ?? {})) {
        if (v === undefined) delete headers[k];
        else headers[k] = v;
      }
      const res = await fetch(`${base}${req.path}`, { method: "POST", headers, body: req.body });
      byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
      const problem = await judge(res);
      if (problem) failures.push({ label: req.label, problem });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { byStatus, failures };
}

// ---------------------------------------------------------------------------------------------- the test

beforeAll(async () => {
  own = await startOwnConsole({
    endpoint: inject("sandboxUrl"),
    name: "hostile",
    env: {
      FLEETSCOPE_SESSION_SECRET: SECRET,
      // The matrix needs no telemetry: keep the sandbox free for the requests under test.
      FLEETSCOPE_COLLECTOR: "off",
    },
  });
  base = own.url;
});

afterAll(async () => {
  await own?.close();
});

async function credentials(): Promise<Credentials> {
  const now = Math.floor(Date.now() / 1000);
  const operator: Principal = { id: "e2e-hostile", name: "e2e-hostile", role: "operator", via: "oidc" };
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return {
    operator: await openConsoleSession(own.dir, SECRET, operator, now),
    viewer: await openConsoleSession(own.dir, SECRET, { ...operator, id: "v", role: "viewer" }, now),
    expired: await openConsoleSession(own.dir, SECRET, operator, now - 13 * 3600),
    forged: await openConsoleSession(own.dir, `${SECRET}-not-the-console-s`, operator, now),
    algNone: `${b64({ alg: "none", typ: "JWT" })}.${b64({
      sub: operator.id,
      name: operator.name,
      role: "operator",
      via: "oidc",
      jti: "x",
      iss: "fleetscope",
      aud: "fleetscope-console",
      iat: now,
      exp: now + 3600,
    })}.`,
    unknownSession: await signSession(operator, "no-such-session", sessionKey(SECRET), now),
  };
}

const readAliases = async () => ({
  live: await cliGetAlias(inject("sandboxUrl"), FN, "live"),
  beta: await cliGetAlias(inject("sandboxUrl"), FN, "beta"),
});

describe("hostile inputs to every traffic mutation", () => {
  it("refuses each one with a coded 4xx, and changes no alias", async () => {
    const before = await readAliases();
    // The applying bodies must really apply, or the cases sent on them prove nothing.
    expect(before.live.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
    expect(Object.keys(before.beta.RoutingConfig?.AdditionalVersionWeights ?? {})).toHaveLength(1);
    const other = Object.keys(before.beta.RoutingConfig?.AdditionalVersionWeights ?? {})[0] ?? "";
    expect(other).not.toBe(before.live.FunctionVersion);
    const facts: Facts = { ...before, other };
    const matrices = routeMatrices(facts);
    expect(shiftInputSchema.safeParse(matrices.shift.applying()).success).toBe(true);
    expect(promoteInputSchema.safeParse(matrices.promote.applying()).success).toBe(true);
    expect(planInputSchema.safeParse(matrices.plans.applying()).success).toBe(true);

    const creds = await credentials();
    // Controls: the operator's cookie, Origin and Content-Type get an inert body past every guard, to AWS (a
    // stale revision is AWS's PreconditionFailed) or to the plan checks; else the matrix would prove nothing.
    const control = await sendAll(
      [
        { label: "control shift", path: matrices.shift.path(), body: encode(matrices.shift.inert()) },
        { label: "control plan", path: matrices.plans.path(), body: encode(matrices.plans.inert()) },
      ],
      `fleetscope_session=${creds.operator}`,
    );
    expect(control.byStatus).toEqual({ 400: 1, 409: 1 });

    const requests = [
      ...Object.values(matrices).flatMap((m) => [
        ...fieldCases(m),
        ...bodyCases(m),
        ...headerCases({ route: m.route, base, path: m.path, body: () => encode(m.applying()) }, creds),
      ]),
      ...abortCases(),
      ...headerCases(
        {
          route: "abort",
          base,
          path: () => `/api/traffic/plans/${randomUUID()}/abort`,
          body: () => encode({ reason: "hostile matrix" }),
        },
        creds,
      ),
    ];
    const started = Date.now();
    const { byStatus, failures } = await sendAll(requests, `fleetscope_session=${creds.operator}`);
    console.log(
      JSON.stringify({
        inputs: requests.length,
        byStatus,
        failures: failures.length,
        seconds: Math.round((Date.now() - started) / 1000),
      }),
    );
    expect(failures.slice(0, 30)).toEqual([]);

    expect(await readAliases()).toEqual(before);
    const audit = (await (await fetch(`${base}/api/traffic/audit?limit=100000`)).json()) as {
      entries: { action: string; outcome: string; functionName: string; alias: string }[];
    };
    expect(audit.entries.filter((e) => e.outcome === "applied")).toEqual([]);
  });
});
