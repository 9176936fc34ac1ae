/**
 * Error types, messages and stacks as Lambda runtimes report them. Timeouts and OOM kills use the platform's own
 * wording (the REPORT/log renderers depend on it); function errors come from a few error sites per runtime family.
 *
 * Invariants:
 * - A site always yields the same message *shape* (the same text around its ids) and the same stack, so a
 *   console can group its errors; the ids inside (uuids, numbers, quoted values, Stripe-style ids) vary.
 * - functionFailure() takes exactly one number from the invocation's stream (as it always has), whatever the
 *   site: the ids come from a stream seeded by that number, so the rest of the invocation (downstream spans)
 *   is drawn exactly as before and error *rates* never move.
 * - Within a runtime family an errorType names one site, so failureStack(runtime, errorType) finds its stack.
 */
import type { VersionBehaviour } from "../fleet/model";
import { Rng, hash32, uuidV4 } from "./random";

export interface Failure {
  errorType: string;
  errorMessage: string;
}

export function timeoutFailure(timeoutSeconds: number): Failure {
  return {
    errorType: "Sandbox.Timedout",
    errorMessage: `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
  };
}

export const OOM_FAILURE: Failure = {
  errorType: "Runtime.OutOfMemory",
  errorMessage: "Runtime exited with error: signal: killed",
};

/** One place in the code that throws: its type, its message template, and the frames above it (top first). */
interface Site {
  errorType: string;
  message(ids: Rng): string;
  /** Stack frames as the runtime prints them: Node/Java/Ruby `    at …` lines, Python `  File …` entries. */
  frames: string[];
}

const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const alnum = (r: Rng, n: number) => Array.from({ length: n }, () => ALNUM[r.u32() % 62]).join("");
const digits = (r: Rng, n: number) =>
  Array.from({ length: n }, (_, i) => (i === 0 ? 1 + (r.u32() % 9) : r.u32() % 10)).join("");
const BAD_INTEGERS = ["abc", "12a4", "N/A", "", "4.5", "0x1F", "null", "1,000"];
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[r.u32() % xs.length]!;

const NODE_RUNTIME_FRAME = "    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)";
const NODE: Site[] = [
  {
    errorType: "TypeError",
    message: () => "Cannot read properties of undefined (reading 'customerId')",
    frames: [
      "    at toOrder (file:///var/task/src/orders/map.mjs:27:31)",
      "    at Runtime.handler (file:///var/task/index.mjs:42:19)",
      NODE_RUNTIME_FRAME,
    ],
  },
  {
    errorType: "ValidationError",
    message: (r) =>
      `Invalid order ord_${alnum(r, 14)}: amount must be a positive integer, got ${-1 - (r.u32() % 5000)}`,
    frames: [
      "    at validateOrder (file:///var/task/src/validate.mjs:18:11)",
      "    at Runtime.handler (file:///var/task/index.mjs:35:5)",
      NODE_RUNTIME_FRAME,
    ],
  },
  {
    errorType: "Error",
    message: (r) => `Request to https://inventory.internal/v2/items/${uuidV4(r)} failed with status 503`,
    frames: [
      "    at callUpstream (file:///var/task/src/client.mjs:77:13)",
      "    at async Runtime.handler (file:///var/task/index.mjs:51:22)",
    ],
  },
  {
    errorType: "SyntaxError",
    message: () => `Unexpected token '<', "<!DOCTYPE "... is not valid JSON`,
    frames: [
      "    at JSON.parse (<anonymous>)",
      "    at parseBody (file:///var/task/src/http.mjs:12:15)",
      "    at Runtime.handler (file:///var/task/index.mjs:30:16)",
      NODE_RUNTIME_FRAME,
    ],
  },
];

const PYTHON: Site[] = [
  {
    errorType: "KeyError",
    message: () => "'customer_id'",
    frames: [
      '  File "/var/task/app.py", line 42, in handler\n    customer = load_customer(body["customer_id"])\n',
    ],
  },
  {
    errorType: "ValueError",
    message: (r) => `invalid literal for int() with base 10: '${pick(r, BAD_INTEGERS)}${alnum(r, 2)}'`,
    frames: [
      '  File "/var/task/app.py", line 42, in handler\n    page = parse_page(event)\n',
      '  File "/var/task/app/params.py", line 9, in parse_page\n    return int(event["queryStringParameters"]["page"])\n',
    ],
  },
  {
    errorType: "ClientError",
    message: (r) =>
      "An error occurred (ConditionalCheckFailedException) when calling the PutItem operation: " +
      `The conditional request failed for item 'order#${digits(r, 9)}'`,
    frames: [
      '  File "/var/task/app.py", line 57, in handler\n    repo.save(order)\n',
      '  File "/var/task/app/repo.py", line 31, in save\n    self.table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")\n',
    ],
  },
  {
    errorType: "ValidationError",
    message: (r) =>
      "1 validation error for OrderRequest\namount\n  Input should be greater than 0 " +
      `[type=greater_than, input_value=${-1 - (r.u32() % 900)}, input_type=int]`,
    frames: [
      '  File "/var/task/app.py", line 38, in handler\n    request = OrderRequest.model_validate(body)\n',
    ],
  },
];

const JAVA: Site[] = [
  {
    errorType: "java.lang.NullPointerException",
    message: () => 'Cannot invoke "String.length()" because "name" is null',
    frames: [
      "    at com.acme.users.NameNormalizer.normalize(NameNormalizer.java:23)",
      "    at com.acme.users.Handler.handleRequest(Handler.java:48)",
    ],
  },
  {
    errorType: "java.lang.IllegalArgumentException",
    message: (r) => `Invalid phone number: "+1-555-${digits(r, 3)}" for user ${digits(r, 8)}`,
    frames: [
      "    at com.acme.users.Phone.parse(Phone.java:61)",
      "    at com.acme.users.Handler.handleRequest(Handler.java:52)",
    ],
  },
  {
    errorType: "software.amazon.awssdk.services.sns.model.SnsException",
    message: (r) => `Rate exceeded (Service: Sns, Status Code: 400, Request ID: ${uuidV4(r)})`,
    frames: [
      "    at software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)",
      "    at com.acme.notify.SmsSender.send(SmsSender.java:57)",
      "    at com.acme.users.Handler.handleRequest(Handler.java:66)",
    ],
  },
];

const RUBY: Site[] = [
  {
    errorType: "NoMethodError",
    message: () => "undefined method `[]' for nil:NilClass",
    frames: ["    at /var/task/lib/invoice.rb:14:in `total'", "    at /var/task/handler.rb:9:in `handler'"],
  },
  {
    errorType: "ArgumentError",
    message: (r) => `invalid value for Integer(): "${pick(r, BAD_INTEGERS)}${alnum(r, 2)}"`,
    frames: ["    at /var/task/lib/params.rb:5:in `Integer'", "    at /var/task/handler.rb:7:in `handler'"],
  },
];

const GENERIC: Site[] = [
  {
    errorType: "Runtime.ExitError",
    message: () => "Runtime exited with error: exit status 1",
    frames: ["    at main (/var/task/bootstrap)"],
  },
  {
    errorType: "HandlerError",
    message: (r) => `validation failed for record ${uuidV4(r)}: missing field 'id'`,
    frames: ["    at handle_record (src/handler.rs:88:14)", "    at main (src/main.rs:21:5)"],
  },
];

/** payments-api's canary (fleet/planted.ts): the card processor declines; one code, so one group. */
const PAYMENT_DECLINED: Site = {
  errorType: "PaymentDeclinedError",
  message: (r) => `Charge ch_${alnum(r, 24)} declined for customer cus_${alnum(r, 14)} (code: card_declined)`,
  frames: [
    "    at chargeCard (file:///var/task/src/payments/charge.mjs:88:15)",
    "    at async Runtime.handler (file:///var/task/index.mjs:31:20)",
  ],
};
/** Sites a version can be made to fail with mostly (VersionBehaviour.dominantFailure), by errorType. */
const DOMINANT: ReadonlyMap<string, Site> = new Map([[PAYMENT_DECLINED.errorType, PAYMENT_DECLINED]]);

function sitesFor(runtime: string | null): Site[] {
  const r = runtime ?? "";
  if (r.startsWith("nodejs")) return NODE;
  if (r.startsWith("python")) return PYTHON;
  if (r.startsWith("java")) return JAVA;
  if (r.startsWith("ruby")) return RUBY;
  return GENERIC;
}

/** Salt for the ids stream, so it differs from any other stream seeded by the same number. */
const IDS_STREAM = 0x1d5;

/**
 * A function error for one invocation. `dominant` (a version's behaviour) makes that share of its errors one
 * special site; the others stay the runtime's generic ones.
 */
export function functionFailure(
  runtime: string | null,
  rng: Rng,
  dominant?: VersionBehaviour["dominantFailure"],
): Failure {
  const u = rng.u32(); // the one draw from the invocation's stream (the same value rng.next() would scale)
  const ids = new Rng(hash32(u, IDS_STREAM));
  const special = dominant === undefined ? undefined : DOMINANT.get(dominant.errorType);
  const list = sitesFor(runtime);
  const site =
    special !== undefined && ids.next() < dominant!.share
      ? special
      : list[Math.floor((u / 4294967296) * list.length)]!;
  return { errorType: site.errorType, errorMessage: site.message(ids) };
}

/** The stack frames (top first) of the site that throws `errorType` in this runtime, or null for an unknown one. */
export function failureStack(runtime: string | null, errorType: string): string[] | null {
  if (errorType === PAYMENT_DECLINED.errorType) return PAYMENT_DECLINED.frames;
  return sitesFor(runtime).find((s) => s.errorType === errorType)?.frames ?? null;
}
