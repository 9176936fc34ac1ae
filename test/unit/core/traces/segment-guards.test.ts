import { describe, expect, it } from "vitest";
import { coreGuards, isValidNode, optionalGuards } from "@/lib/core/traces/segment-guards";
import { coreSchemas, optionalSchemas } from "@/lib/core/traces/segment-schema";

// Values a segment document can hold (JSON only: no undefined, NaN or functions), good and bad for each field.
const common: unknown[] = [null, true, false, 0, -1, 1.5, "", "x", [], [1], {}, { a: 1 }];
const table: Record<string, unknown[]> = {
  id: ["a", "1234567890abcdef", "x".repeat(64), "x".repeat(65)],
  name: ["orders-api", "x".repeat(250), "x".repeat(251)],
  start_time: [1_763_833_760.123456, 0, -0.5, 1e300],
  end_time: [1_763_833_760.5, -1e-9],
  in_progress: [],
  parent_id: ["p", " "],
  trace_id: ["1-6921f6c0-0123456789abcdef01234567"],
  origin: ["AWS::Lambda::Function"],
  namespace: ["aws", "remote"],
  resource_arn: ["arn:aws:lambda:us-east-1:123456789012:function:f"],
  error: [],
  fault: [],
  throttle: [],
  http: [
    { request: { method: "GET", url: "https://x" }, response: { status: 200 } },
    { request: {}, response: {} },
    { request: { method: 1 } },
    { request: { url: null } },
    { request: [] },
    { response: { status: 200.5 } },
    { response: { status: "200" } },
    { response: null },
    { other: 1 },
  ],
  aws: [{ operation: "GetItem", table_name: "t", nested: { a: [1] } }, { constructor: "x" }],
  annotations: [{ version: "8", coldStart: true, n: 3.5 }, { bad: null }, { bad: { x: 1 } }, { bad: [1] }],
  metadata: [{ default: { any: ["thing"] } }],
  cause: [
    "e1",
    { exceptions: [] },
    { exceptions: [{ id: "e" }] },
    { exceptions: "x" },
    { working_directory: "/" },
  ],
  subsegments: [[{ id: "a" }], [1, "x"]],
};

const schemas = { ...coreSchemas, ...optionalSchemas } as Record<
  string,
  { safeParse(v: unknown): { success: boolean } }
>;
const guards = { ...coreGuards, ...optionalGuards } as Record<string, (v: unknown) => boolean>;

describe("segment guards", () => {
  it("cover every field zod validates, and nothing else", () => {
    expect(Object.keys(guards).sort()).toEqual(Object.keys(schemas).sort());
  });

  for (const field of Object.keys(schemas)) {
    it(`${field}: accept exactly what its zod schema accepts`, () => {
      for (const value of [...common, ...(table[field] ?? [])]) {
        const zod = schemas[field]!.safeParse(value).success;
        // The invariant the parser relies on is guard ⇒ zod; on this table they agree both ways.
        expect({ field, value, guard: guards[field]!(value) }).toEqual({ field, value, guard: zod });
      }
    });
  }

  it("isValidNode checks every field: breaking any one of them rejects the node", () => {
    const node: Record<string, unknown> = {
      id: "1234567890abcdef",
      name: "n",
      start_time: 1,
      end_time: 2,
      in_progress: false,
      parent_id: "p",
      trace_id: "t",
      origin: "o",
      namespace: "aws",
      resource_arn: "arn",
      error: false,
      fault: false,
      throttle: false,
      http: { response: { status: 200 } },
      aws: {},
      annotations: { a: 1 },
      metadata: {},
      cause: "e",
      subsegments: [],
    };
    expect(isValidNode(node)).toBe(true);
    for (const field of Object.keys(schemas)) {
      // A symbol is valid for no field.
      expect({ field, valid: isValidNode({ ...node, [field]: Symbol("bad") }) }).toEqual({
        field,
        valid: false,
      });
    }
    expect(isValidNode({ id: "a", name: "n", start_time: 0 })).toBe(true);
    expect(isValidNode({ id: "a", name: "n" })).toBe(false);
  });
});
