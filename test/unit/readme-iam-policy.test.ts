/**
 * The README's least-privilege IAM policies against what the console actually calls: every SDK command built in
 * lib/aws is allowed by the policy of the identity that sends it, and no policy allows anything the console never
 * sends. A new AWS call without its permission (or a permission kept after its call was removed) fails here rather
 * than in a user's account.
 *
 * Who sends what: the calls into an account's fleet (lambda, cloudwatch, logs, xray, sqs) go out with the
 * single-account policy's identity, or a member account's role; the calls that find and reach accounts (sts,
 * organizations) with the console's own identity; in a monitoring account, the telemetry reads and sts:AssumeRole.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");

/** The IAM service prefix of each adapter file's client (lib/aws/<file>.ts). */
const SERVICE_OF_FILE: ReadonlyArray<[RegExp, string]> = [
  [/^lambda/, "lambda"],
  [/^cloudwatch/, "cloudwatch"],
  [/^logs/, "logs"],
  [/^xray/, "xray"],
  [/^sqs/, "sqs"],
  [/^sts/, "sts"],
  [/^organizations/, "organizations"],
];

const FLEET_SERVICES = ["lambda", "cloudwatch", "logs", "xray", "sqs"];
const ACCOUNT_DISCOVERY_SERVICES = ["sts", "organizations"];
const TELEMETRY_SERVICES = ["cloudwatch", "logs", "xray"];

function actionsCalled(): Set<string> {
  const dir = path.join(ROOT, "lib/aws");
  const called = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const source = readFileSync(path.join(dir, file), "utf8");
    // The credential provider sends AssumeRole itself: no Command of ours, but the same permission.
    if (/\bfromTemporaryCredentials\(/.test(source)) called.add("sts:AssumeRole");
    const commands = [...source.matchAll(/new ([A-Z][A-Za-z]+)Command\b/g)].map((m) => m[1] as string);
    if (commands.length === 0) continue;
    const service = SERVICE_OF_FILE.find(([re]) => re.test(file))?.[1];
    if (!service) throw new Error(`lib/aws/${file} builds SDK commands but names no known service`);
    for (const c of commands) called.add(`${service}:${c}`);
  }
  return called;
}

interface Statement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Principal?: { AWS?: string };
  Condition?: Record<string, Record<string, string>>;
}

/** The first JSON block under a README heading. */
function readmePolicy(heading: string): Statement[] {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const at = readme.indexOf(`${heading}\n`);
  if (at < 0) throw new Error(`README has no heading '${heading}'`);
  const block = /```json\n([\s\S]*?)```/.exec(readme.slice(at))?.[1];
  if (!block) throw new Error(`README has no JSON policy under '${heading}'`);
  return (JSON.parse(block) as { Statement: Statement[] }).Statement;
}

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const allowedBy = (statements: Statement[]) =>
  new Set(statements.filter((s) => s.Effect === "Allow").flatMap(actionsOf));
const ofServices = (actions: Iterable<string>, services: string[]) =>
  [...actions].filter((a) => services.includes(a.split(":")[0] as string)).sort();

const SINGLE = "### Least-privilege IAM policy";
const MEMBER_ROLE = "#### The role in each account (several accounts)";
const MEMBER_TRUST = "#### The role's trust policy";
const HOME = "#### The console's own identity (several accounts)";
const MONITORING = "#### The monitoring account (CloudWatch cross-account observability)";

describe("README least-privilege IAM policies", () => {
  const called = actionsCalled();
  const single = readmePolicy(SINGLE);
  const memberRole = readmePolicy(MEMBER_ROLE);
  const home = readmePolicy(HOME);
  const monitoring = readmePolicy(MONITORING);

  it("finds the console's AWS calls (the scan itself works)", () => {
    expect(called.has("lambda:ListFunctions")).toBe(true);
    expect(called.has("cloudwatch:GetMetricData")).toBe(true);
  });

  it("allows, in one account, exactly the calls the console makes into an account's fleet", () => {
    expect([...allowedBy(single)].sort()).toEqual(ofServices(called, FLEET_SERVICES));
  });

  it("allows nothing the console never calls, in any policy", () => {
    for (const statements of [single, memberRole, home, monitoring])
      expect([...allowedBy(statements)].filter((a) => !called.has(a)).sort()).toEqual([]);
  });

  it("keeps the only state-changing call in its own statement, so a read-only deployment can drop it", () => {
    for (const statements of [single, memberRole]) {
      const writes = statements.filter((s) => actionsOf(s).includes("lambda:UpdateAlias"));
      expect(writes).toHaveLength(1);
      expect(actionsOf(writes[0] as Statement)).toEqual(["lambda:UpdateAlias"]);
    }
  });

  it("gives each account's role the same fleet calls as one account, and nothing else", () => {
    expect([...allowedBy(memberRole)].sort()).toEqual(ofServices(called, FLEET_SERVICES));
  });

  it("lets the role be assumed only with the external ID", () => {
    const trust = readmePolicy(MEMBER_TRUST);
    expect(trust).toHaveLength(1);
    const [statement] = trust as [Statement];
    expect(actionsOf(statement)).toEqual(["sts:AssumeRole"]);
    expect(statement.Principal?.AWS).toMatch(/^arn:aws:iam::\d{12}:role\/.+/);
    expect(statement.Condition?.StringEquals?.["sts:ExternalId"]).toEqual(expect.any(String));
  });

  it("gives the console's own identity every STS and Organizations call (AssumeRole included), and nothing else", () => {
    expect(called.has("sts:AssumeRole")).toBe(true);
    expect([...allowedBy(home)].sort()).toEqual(ofServices(called, ACCOUNT_DISCOVERY_SERVICES));
  });

  it("gives a monitoring account the telemetry reads plus AssumeRole, and nothing else", () => {
    expect([...allowedBy(monitoring)].sort()).toEqual(
      [...ofServices(called, TELEMETRY_SERVICES), "sts:AssumeRole"].sort(),
    );
  });

  it("leaves every call the console makes to some policy", () => {
    const anywhere = new Set([single, home].flatMap((s) => [...allowedBy(s)]));
    expect([...called].filter((a) => !anywhere.has(a)).sort()).toEqual([]);
  });
});
