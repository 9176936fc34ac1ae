/**
 * The hostile-input matrix for the traffic mutation routes (test/e2e/hostile-inputs.test.ts sends it).
 *
 * How a case can fail: each route has an *applying* body — valid, with the alias's current RevisionId (or, for a
 * plan, a real new version) — that would change the alias. A case that breaks one field is sent on that body,
 * so the only thing between it and a production change is the check under test. A case whose value is
 * acceptable by itself (weight 0, an HTML reason, an unknown field) is sent on an *inert* body (a stale
 * RevisionId; a plan whose new version is the stable one) so it must still be refused, just further down.
 */
import { randomUUID } from "node:crypto";
import type { CliAlias } from "@fleetscope/sandbox/testing/awscli";

/** Planted in the sandbox: `live` = 4 alone, `beta` = 4 + 5 @ 0.5; no other test changes it. */
export const FN = "user-profile";
const STALE_REVISION = "00000000-0000-4000-8000-000000000000";

/** A JSON literal JSON.stringify cannot write (1e999, -0) or a key it would not keep (__proto__). */
export class RawJson {
  constructor(readonly text: string) {}
}

export function encode(body: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(body, (_key, v: unknown) =>
    v instanceof RawJson ? `\u0000raw${raws.push(v.text) - 1}\u0000` : v,
  );
  return text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_m, i: string) => raws[Number(i)] ?? "");
}

export interface HostileRequest {
  label: string;
  path: string;
  body: string | Blob;
  /** Overrides of the operator's headers; undefined removes one. */
  headers?: Record<string, string | undefined>;
}

type Kind = "string" | "number" | "boolean";
interface FieldSpec {
  kind: Kind;
  required: boolean;
  nullable?: boolean;
  /** Values the validation must refuse: sent on the applying body. */
  refused: unknown[];
  /** Values that are fine by themselves: sent on the inert body, so the request is still refused. */
  acceptable?: unknown[];
}

const WRONG_TYPES: Record<Kind, unknown[]> = {
  string: [42, 0, -1, 1e308, true, false, [], ["x"], {}, { $ne: null }],
  number: [
    "30",
    "50",
    "",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e308",
    "0x10",
    true,
    false,
    [],
    [50],
    {},
    { valueOf: 50 },
  ],
  boolean: ["true", "false", 1, 0, "", [], {}],
};

const long = (n: number, c = "x") => c.repeat(n);

const REGION: FieldSpec = {
  kind: "string",
  required: true,
  refused: [
    "",
    "US-EAST-1",
    "us-east-1 ",
    "eu-west-1", // well-formed, in the sandbox, not configured for this console
    "us-east-99",
    "ap-southeast-7",
    "moon-base-1",
    "us-east-1\u0000",
    "../us-east-1",
    "us-east-1/../eu-west-1",
    long(200, "a"),
    "<script>alert(1)</script>",
  ],
};

const FUNCTION_NAME: FieldSpec = {
  kind: "string",
  required: true,
  refused: [
    `../${FN}`,
    `%2e%2e%2f${FN}`,
    `${FN}/../payments-api`,
    "user profile",
    ` ${FN}`,
    `${FN} `,
    long(200, "u"),
    long(65, "u"),
    long(64, "u"),
    "usér-profile",
    "ユーザー",
    `${FN}\u0000`,
    `${FN}%00`,
    `${FN}\n`,
    "",
    "*",
    `arn:aws:lambda:us-east-1:999999999999:function:${FN}`,
    `arn:aws:lambda:eu-west-1:999999999999:function:${FN}`,
    `arn:aws-cn:lambda:cn-north-1:999999999999:function:${FN}`,
    `999999999999:function:${FN}`,
    `function:${FN}`,
    `${FN}:live`,
    `${FN}:$LATEST`,
    "arn:aws:lambda:us-east-1:999999999999:function",
    "<script>alert(1)</script>",
    "no-such-function",
    FN.toUpperCase(),
  ],
};

const ALIAS: FieldSpec = {
  kind: "string",
  required: true,
  refused: [
    "",
    "1",
    "123",
    "$LATEST",
    "live/../beta",
    "../live",
    "live beta",
    long(129, "l"),
    long(128, "l"),
    "live\u0000",
    "live%00",
    "ライブ",
    "live:1",
    "<b>live</b>",
    "nope",
    "LIVE",
  ],
};

const VERSION_REFUSED = [
  "$LATEST",
  "$latest",
  "$LATEST ",
  "latest",
  "0",
  "-1",
  "1.5",
  "99999999999",
  "9999999999",
  "",
  " 4",
  "04",
  "0x4",
  "4e0",
  "+4",
  "4\u0000",
  "∞",
];

const REVISION: FieldSpec = {
  kind: "string",
  required: true,
  // A RevisionId other than the current one can never apply: every one of these goes on the applying body.
  refused: [
    "",
    long(65, "r"),
    long(64, "r"),
    "not-a-revision",
    STALE_REVISION,
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "*",
    "%",
    "\u0000",
  ],
};

const REASON: FieldSpec = {
  kind: "string",
  required: false,
  refused: [long(10_240), long(501)],
  acceptable: [
    "\u0000\u0007\u001b[31mred\r\n\t",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "'; DROP TABLE audit; --",
    "\u202egnp.exe",
    "🙂".repeat(100),
    long(500),
    "{{7*7}}${7*7}",
  ],
};

export interface RouteMatrix {
  route: string;
  path: () => string;
  /** Would change the alias if nothing refused it. */
  applying: () => Record<string, unknown>;
  /** Refused whatever else it carries (stale revision; plan on the stable version). */
  inert: () => Record<string, unknown>;
  fields: Record<string, FieldSpec>;
}

export interface Facts {
  live: CliAlias;
  beta: CliAlias;
  /** A published version of FN other than live's. */
  other: string;
}

export function routeMatrices(f: Facts): Record<"shift" | "promote" | "rollback" | "plans", RouteMatrix> {
  const target = (alias: string) => ({ region: "us-east-1", functionName: FN, alias });
  const oneClickFields = (current: CliAlias, other: CliAlias): Record<string, FieldSpec> => ({
    region: REGION,
    functionName: FUNCTION_NAME,
    alias: ALIAS,
    revisionId: { ...REVISION, refused: [...REVISION.refused, other.RevisionId, ` ${current.RevisionId}`] },
    reason: REASON,
  });
  const shift = () => ({
    ...target("live"),
    primaryVersion: f.live.FunctionVersion,
    additionalVersion: f.other,
    weightPercent: 50,
    revisionId: f.live.RevisionId,
    reason: "hostile matrix",
  });
  const plan = () => ({
    ...target("live"),
    newVersion: f.other,
    kind: "canary",
    stepPercent: 10,
    stepSeconds: 60,
    reason: "hostile matrix",
  });
  return {
    shift: {
      route: "shift",
      path: () => "/api/traffic/shift",
      applying: shift,
      inert: () => ({ ...shift(), revisionId: STALE_REVISION }),
      fields: {
        region: REGION,
        functionName: FUNCTION_NAME,
        alias: ALIAS,
        primaryVersion: { kind: "string", required: true, refused: [...VERSION_REFUSED, f.other] },
        additionalVersion: {
          kind: "string",
          required: true,
          nullable: true,
          refused: [...VERSION_REFUSED, f.live.FunctionVersion],
        },
        weightPercent: {
          kind: "number",
          required: true,
          refused: [-1, -0.0001, 100.0001, 101, 1e308, -1e308, new RawJson("1e999"), new RawJson("-1e999")],
          acceptable: [0, 100, 33.333333, 0.00001, new RawJson("-0"), new RawJson("1E2")],
        },
        revisionId: {
          ...REVISION,
          refused: [
            ...REVISION.refused,
            f.beta.RevisionId,
            `${f.live.RevisionId} `,
            f.live.RevisionId.toUpperCase(),
          ],
        },
        reason: REASON,
      },
    },
    promote: {
      route: "promote",
      path: () => "/api/traffic/promote",
      applying: () => ({ ...target("beta"), revisionId: f.beta.RevisionId, reason: "hostile matrix" }),
      inert: () => ({ ...target("beta"), revisionId: STALE_REVISION, reason: "hostile matrix" }),
      fields: {
        ...oneClickFields(f.beta, f.live),
        override: { kind: "boolean", required: false, refused: [], acceptable: [true, false] },
      },
    },
    rollback: {
      route: "rollback",
      path: () => "/api/traffic/rollback",
      applying: () => ({ ...target("beta"), revisionId: f.beta.RevisionId, reason: "hostile matrix" }),
      inert: () => ({ ...target("beta"), revisionId: STALE_REVISION, reason: "hostile matrix" }),
      fields: oneClickFields(f.beta, f.live),
    },
    plans: {
      route: "plans",
      path: () => "/api/traffic/plans",
      applying: plan,
      inert: () => ({ ...plan(), newVersion: f.live.FunctionVersion }),
      fields: {
        region: REGION,
        functionName: FUNCTION_NAME,
        alias: ALIAS,
        newVersion: { kind: "string", required: true, refused: VERSION_REFUSED },
        kind: {
          kind: "string",
          required: true,
          refused: ["blue-green", "CANARY", "", "canary ", "linear\u0000", "all-at-once", "<script>"],
          acceptable: ["linear"],
        },
        stepPercent: {
          kind: "number",
          required: true,
          refused: [0, 100, -5, 101, 1e308, -0.0001, 100.0001, new RawJson("1e999")],
          acceptable: [0.01, 99.99, 50],
        },
        stepSeconds: {
          kind: "number",
          required: true,
          refused: [0, -1, -60, 9, 86_401, 1e9, 1.5, 1e308, new RawJson("-1e999")],
          acceptable: [10, 86_400],
        },
        maxErrorRateIncreasePercent: {
          kind: "number",
          required: false,
          refused: [-1, 101, 1e308],
          acceptable: [0, 100],
        },
        maxP99Ratio: {
          kind: "number",
          required: false,
          nullable: true,
          refused: [0, 0.5, -1, 101],
          acceptable: [1, 100],
        },
        alarmName: {
          kind: "string",
          required: false,
          nullable: true,
          refused: ["", "   ", long(256, "a")],
          acceptable: ["<script>alert(1)</script>", "no-such-alarm"],
        },
        minInvocations: {
          kind: "number",
          required: false,
          refused: [0, -1, 1.5, 1_000_001],
          acceptable: [1, 1_000_000],
        },
        // Optional: the revision the operator confirmed the plan against; any other one is a conflict.
        revisionId: { ...REVISION, required: false, refused: [...REVISION.refused, f.beta.RevisionId] },
        reason: REASON,
      },
    },
  };
}

/** Missing, wrong-typed and hostile values of every field, each on the body that makes it count. */
export function fieldCases(m: RouteMatrix): HostileRequest[] {
  const out: HostileRequest[] = [];
  const send = (label: string, body: Record<string, unknown>) =>
    out.push({ label: `${m.route} ${label}`, path: m.path(), body: encode(body) });
  for (const [field, spec] of Object.entries(m.fields)) {
    const without = (b: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(b).filter(([k]) => k !== field));
    if (spec.required) send(`missing ${field}`, without(m.applying()));
    else send(`missing ${field}`, without(m.inert()));
    for (const v of [...WRONG_TYPES[spec.kind], null, ...spec.refused]) {
      const acceptable = v === null && spec.nullable;
      send(`${field}=${show(v)}`, { ...(acceptable ? m.inert() : m.applying()), [field]: v });
    }
    for (const v of spec.acceptable ?? []) send(`${field}=${show(v)} (inert)`, { ...m.inert(), [field]: v });
  }
  return out;
}

function show(v: unknown): string {
  const s = v instanceof RawJson ? v.text : (JSON.stringify(v) ?? String(v));
  return s.length > 40 ? `${s.slice(0, 20)}…(${s.length} chars)` : s;
}

/** Bodies that are not the right JSON at all, or that smuggle extra keys. */
export function bodyCases(m: RouteMatrix): HostileRequest[] {
  const inert = encode(m.inert());
  const applying = m.applying();
  const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
  const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
  const raw: [string, string][] = [
    ["empty body", ""],
    ["not JSON", "region=us-east-1&functionName=user-profile"],
    ["truncated JSON", inert.slice(0, -1)],
    ["XML", "<alias><name>live</name></alias>"],
    ["single-quoted", "{'region':'us-east-1'}"],
    ["JS literal", "undefined"],
    ["NaN literal", "NaN"],
    ["null byte", "\u0000"],
    ["JSON null", "null"],
    ["JSON array", "[]"],
    ["array of the body", `[${encode(applying)}]`],
    ["JSON number", "42"],
    ["JSON string", '"shift"'],
    ["JSON true", "true"],
    ["empty object", "{}"],
    ["nested arrays 100000 deep", nested(100_000)],
    ["nested objects 5000 deep", nestedObject(5_000)],
    ["field nested 5000 deep", encode({ ...applying, reason: new RawJson(nestedObject(5_000)) })],
    ["1 MB body (inert)", encode({ ...m.inert(), pad: long(1 << 20) })],
    ["1 MB reason", encode({ ...applying, reason: long(1 << 20) })],
    ["duplicate key, last one bad", `${encode(applying).slice(0, -1)},"region":"nowhere-1"}`],
    ["BOM before inert JSON", `\uFEFF${inert}`],
    ["__proto__ key (inert)", `{"__proto__":{"role":"operator","readOnly":false},${inert.slice(1)}`],
    ["constructor key (inert)", `{"constructor":{"prototype":{"x":1}},${inert.slice(1)}`],
    [
      "unknown fields (inert)",
      encode({ ...m.inert(), actor: "root", role: "operator", planId: "x", weight: 1, routing: { "5": 1 } }),
    ],
  ];
  return raw.map(([label, body]) => ({ label: `${m.route} body: ${label}`, path: m.path(), body }));
}

/** Abort has no body to speak of: its hostile input is the plan id in the path, and the reason. */
export function abortCases(): HostileRequest[] {
  const abort = (id: string) => `/api/traffic/plans/${encodeURIComponent(id)}/abort`;
  const ids = [
    randomUUID(),
    "1",
    "0",
    "-1",
    "null",
    "undefined",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    long(200, "p"),
    long(5000, "p"),
    "plan\u0000",
    "ünïcödé",
    "../../shift",
    "%2e%2e",
    " ",
    "constructor",
    "__proto__",
    "*",
  ];
  const byId = ids.map((id) => ({
    label: `abort id=${show(id)}`,
    path: abort(id),
    body: encode({ reason: "hostile matrix" }),
  }));
  const bodies: [string, string][] = [
    ["not JSON", "reason=x"],
    ["JSON null", "null"],
    ["JSON array", "[]"],
    ["reason 10 KB", encode({ reason: long(10_240) })],
    ["reason HTML", encode({ reason: "<script>alert(1)</script>" })],
    ["reason control chars", encode({ reason: "\u0000\u001b[2J" })],
    ["reason number", encode({ reason: 42 })],
    ["reason array", encode({ reason: [] })],
    ["reason object", encode({ reason: {} })],
    ["reason with a non-callable toString", encode({ reason: { toString: 1 } })],
    ["reason nested 5000 deep", `{"reason":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`],
    ["1 MB body", encode({ reason: long(1 << 20) })],
  ];
  return [
    ...byId,
    ...bodies.map(([label, body]) => ({ label: `abort body: ${label}`, path: abort(randomUUID()), body })),
  ];
}

export interface Credentials {
  operator: string;
  viewer: string;
  expired: string;
  forged: string;
  algNone: string;
  unknownSession: string;
}

/** Each guard in front of the use-case, tried with the body that would otherwise apply. */
export function headerCases(
  m: { route: string; base: string; path: () => string; body: () => string },
  c: Credentials,
): HostileRequest[] {
  const cases: [string, Record<string, string | undefined>][] = [
    ["no Origin", { origin: undefined }],
    ["Origin null", { origin: "null" }],
    ["foreign Origin", { origin: "https://evil.example" }],
    ["https Origin of this host", { origin: m.base.replace(/^http:/, "https:") }],
    ["Origin of another port", { origin: `http://127.0.0.1:${Number(new URL(m.base).port) + 1}` }],
    ["Origin localhost", { origin: `http://localhost:${new URL(m.base).port}` }],
    ["Origin suffix trick", { origin: `${m.base}.evil.example` }],
    ["malformed Origin", { origin: "::::" }],
    ["Sec-Fetch-Site cross-site", { "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site same-site", { "sec-fetch-site": "same-site" }],
    ["no cookie", { cookie: undefined }],
    ["garbage cookie", { cookie: "garbage" }],
    ["empty session cookie", { cookie: "fleetscope_session=" }],
    ["garbage session cookie", { cookie: "fleetscope_session=garbage" }],
    ["three-part garbage JWT", { cookie: "fleetscope_session=a.b.c" }],
    ["expired session", { cookie: `fleetscope_session=${c.expired}` }],
    ["forged session (other secret)", { cookie: `fleetscope_session=${c.forged}` }],
    ["alg none session", { cookie: `fleetscope_session=${c.algNone}` }],
    ["signed, session not in the store", { cookie: `fleetscope_session=${c.unknownSession}` }],
    ["viewer session", { cookie: `fleetscope_session=${c.viewer}` }],
    ["no cookie and no Origin", { cookie: undefined, origin: undefined }],
    ["text/plain", { "content-type": "text/plain" }],
    ["text/plain;charset=UTF-8", { "content-type": "text/plain;charset=UTF-8" }],
    ["form-urlencoded", { "content-type": "application/x-www-form-urlencoded" }],
    ["multipart", { "content-type": "multipart/form-data; boundary=x" }],
    ["application/xml", { "content-type": "application/xml" }],
    ["text/json", { "content-type": "text/json" }],
  ];
  const out: HostileRequest[] = cases.map(([label, headers]) => ({
    label: `${m.route} header: ${label}`,
    path: m.path(),
    body: m.body(),
    headers,
  }));
  // No Content-Type at all: fetch adds text/plain to a string body, not to an untyped Blob.
  out.push({
    label: `${m.route} header: no Content-Type`,
    path: m.path(),
    body: new Blob([m.body()]),
    headers: { "content-type": undefined },
  });
  return out;
}
