/**
 * The README's least-privilege IAM policy against what the console actually calls: every SDK command built in
 * lib/aws is allowed, and the policy allows nothing the console never sends. A new AWS call without its
 * permission (or a permission kept after its call was removed) fails here rather than in a user's account.
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
];

function actionsCalled(): Set<string> {
  const dir = path.join(ROOT, "lib/aws");
  const called = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const source = readFileSync(path.join(dir, file), "utf8");
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
  Action: string | string[];
}

function readmePolicy(): Statement[] {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Least-privilege IAM policy"));
  const block = /```json\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("README has no JSON policy under 'Least-privilege IAM policy'");
  return (JSON.parse(block) as { Statement: Statement[] }).Statement;
}

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe("README least-privilege IAM policy", () => {
  const called = actionsCalled();
  const statements = readmePolicy();
  const allowed = new Set(statements.flatMap(actionsOf));

  it("finds the console's AWS calls (the scan itself works)", () => {
    expect(called.has("lambda:ListFunctions")).toBe(true);
    expect(called.has("cloudwatch:GetMetricData")).toBe(true);
  });

  it("allows every call the console makes", () => {
    expect([...called].filter((a) => !allowed.has(a)).sort()).toEqual([]);
  });

  it("allows nothing the console never calls", () => {
    expect([...allowed].filter((a) => !called.has(a)).sort()).toEqual([]);
  });

  it("keeps the only state-changing call in its own statement, so a read-only deployment can drop it", () => {
    const writes = statements.filter((s) => actionsOf(s).includes("lambda:UpdateAlias"));
    expect(writes).toHaveLength(1);
    expect(actionsOf(writes[0] as Statement)).toEqual(["lambda:UpdateAlias"]);
  });
});
