/**
 * Normalization: the same site with different ids inside gives the same pattern and fingerprint; different
 * sites (another message, type, frame or kind) give different ones; hostile input stays bounded.
 */
import { describe, expect, it } from "vitest";
import {
  fingerprint,
  firstLine,
  normalizeMessage,
  sanitize,
  topInAppFrame,
} from "@/lib/core/error-groups/normalize";

describe("normalizeMessage", () => {
  it("masks ids of every kind, keeping the words around them", () => {
    const cases: [string, string][] = [
      [
        "Charge ch_3Q8x2LkA9fT0cP1mZ7 declined for customer cus_Nf8aK2pQ0xY4 (code: card_declined)",
        "Charge <id> declined for customer <id> (code: card_declined)",
      ],
      [
        "Charge ch_uWLlKbkBBbJWlZQAOlNbslhA declined for customer cus_FliOjkQFUzLNop (code: card_declined)",
        "Charge <id> declined for customer <id> (code: card_declined)",
      ],
      [
        "validation failed for record b52ee211-664f-4fd9-b536-67b71ad69c64: missing field 'id'",
        "validation failed for record <uuid>: missing field <str>",
      ],
      [
        "Invalid order ord_7C5RtNsus39y2v: amount must be a positive integer, got -469",
        "Invalid order <id>: amount must be a positive integer, got <n>",
      ],
      [
        "Request to https://inventory.internal/v2/items/4bec1125-ff73?x=1 failed with status 503",
        "Request to https://inventory.internal/<path> failed with status <n>",
      ],
      ["User alice.smith+test@example.com not found", "User <email> not found"],
      ["GET https://api.example.com:8443 refused", "GET https://api.example.com:<n> refused"],
      ["AccessDenied on arn:aws:s3:::uploads-123456789012-us-east-1/key.png", "AccessDenied on <arn:s3>"],
      ["request req-8f2a91 failed, object 5f84c7a1d2e3 missing", "request <id> failed, object <hex> missing"],
      [
        "Rate exceeded (Service: Sns, Status Code: 400, Request ID: f0038007-78db-4017-bfbb-156a59bace9e)",
        "Rate exceeded (Service: Sns, Status Code: <n>, Request ID: <uuid>)",
      ],
      ["Trace 1-5f84c7a1-0123456789abcdef01234567 at 2026-11-23T11:30:12.345Z", "Trace <trace> at <time>"],
      ["undefined method `[]' for nil:NilClass", "undefined method <str> for nil:NilClass"],
    ];
    for (const [raw, want] of cases) expect(normalizeMessage(raw), raw).toBe(want);
  });

  it("masks numbers with units, short hex ids, short prefixed ids and other id-like words", () => {
    const cases: [string, string][] = [
      ["Query took 1523ms, limit exceeded 3s", "Query took <n>, limit exceeded <n>"],
      ["payload 12KB over the 6MB limit (2.5GB total)", "payload <n> over the <n> limit (<n> total)"],
      ["memory at 45% after retry in -5ms", "memory at <n>% after retry in <n>"],
      ["object 7f3a9c missing, digest A8E0B1C2 bad", "object <hex> missing, digest <hex> bad"],
      ["user user_42 has no item#ab12 in order#7", "user <id> has no <id> in <id>"],
      ["token k1m2n3 and key 3f9a and flag 0x1F", "token <id> and key <id> and flag <id>"],
      ["charset ISO-8859-1 unsupported", "charset <id>-<n> unsupported"],
    ];
    for (const [raw, want] of cases) expect(normalizeMessage(raw), raw).toBe(want);
  });

  it("the same site with different values is one pattern", () => {
    const same = (messages: string[]) =>
      expect(new Set(messages.map(normalizeMessage)).size, messages[0]).toBe(1);
    same(["Query took 1523ms", "Query took 87ms", "Query took 2.5s", "Query took 1,204ms"]);
    same(["Payload 12KB too large", "Payload 980B too large", "Payload 6MB too large"]);
    same(["Memory at 45% of limit", "Memory at 7% of limit", "Memory at 100% of limit"]);
    same(["Object 7f3a9c not found", "Object 0b1c2d not found", "Object 9e8d7c6b5a41 not found"]);
    same(["No profile for user_42", "No profile for user_7", "No profile for user_90210"]);
    same(["Stock missing for item#ab12", "Stock missing for item#9", "Stock missing for item#ZZ3"]);
    // A status code masks to <n> wherever it stands, like any other number.
    same(["Upstream failed with status 503", "Upstream failed with status 429"]);
    same(["Upstream answered 503 Service Unavailable", "Upstream answered 502 Service Unavailable"]);
    same(["Upstream answered HTTP/1.1 503", "Upstream answered HTTP/2 500"]);
  });

  it("different sites stay different", () => {
    const messages = [
      "Query took 1523ms",
      "Query failed after 1523ms",
      "Payload 12KB too large",
      "No profile for user_42",
      "No orders for user_42",
      "Stock missing for item#ab12",
      "Stock reserved for item#ab12",
      "Upstream failed with status 503",
      "Downstream failed with status 503",
      "S3Exception: Upstream failed with status 503",
      "DynamoDBException: Upstream failed with status 503",
    ];
    expect(new Set(messages.map(normalizeMessage)).size).toBe(messages.length);
  });

  it("keeps error-type-like words with a digit: letters and one digit run is a name, not an id", () => {
    expect(
      normalizeMessage("S3Exception: Http503 from EC2ThrottledException in ec2 Int32 IPv4 OAuth2Error"),
    ).toBe("S3Exception: Http503 from EC2ThrottledException in ec2 Int32 IPv4 OAuth2Error");
    expect(normalizeMessage("Float64Array of x86_64 k8s sha256 md5 MAX_RETRIES_3 failed")).toBe(
      "Float64Array of x86_64 k8s sha256 md5 MAX_RETRIES_3 failed",
    );
  });

  it("keeps identifiers that are words, not ids", () => {
    expect(normalizeMessage("KeyError customer_identifier in ConditionalCheckFailedException")).toBe(
      "KeyError customer_identifier in ConditionalCheckFailedException",
    );
    expect(normalizeMessage("utf-8 decode failed in base64 body")).toBe(
      "utf-<n> decode failed in base64 body",
    );
  });

  it("takes the first non-blank line only", () => {
    expect(normalizeMessage("\n\n  boom 42  \n    at x (/var/task/a.js:1:2)")).toBe("boom <n>");
    expect(firstLine("   \n\t\nsecond\nthird")).toBe("second");
  });

  it("is idempotent", () => {
    for (const raw of [
      "Charge ch_3Q8x2LkA9fT0cP1mZ7 for 12.50 USD to 'x' at https://a.b/c",
      "user_42 item#ab12 took 1523ms at 45% on 7f3a9c a1b2c3 ISO-8859-1 AccessDenied on arn:aws:s3:::b-1/k",
    ]) {
      const once = normalizeMessage(raw);
      expect(normalizeMessage(once), raw).toBe(once);
    }
  });

  it("stays bounded on huge, binary and pathological input", () => {
    expect(normalizeMessage("a".repeat(1_000_000)).length).toBeLessThanOrEqual(301);
    expect(normalizeMessage("\u0000\u0001\u001b[0m")).not.toMatch(/[\u0000-\u001f]/);
    // A regex-hostile input (long runs that almost match) returns.
    expect(() => normalizeMessage("_".repeat(100_000) + "a1".repeat(50_000))).not.toThrow();
    expect(() => normalizeMessage("'".repeat(100_000))).not.toThrow();
  });
});

describe("sanitize", () => {
  it("replaces control characters and lone surrogates, cuts to the limit", () => {
    expect(sanitize("a\u0000b\tc\u007f\ud800d", 100)).toBe("a\ufffdb c\ufffd\ufffdd");
    expect(sanitize("x".repeat(2_000), 1_000)).toHaveLength(1_000);
    expect(sanitize("emoji 😀 ok", 100)).toBe("emoji 😀 ok");
  });
});

describe("topInAppFrame", () => {
  it("skips runtime and dependency frames", () => {
    expect(
      topInAppFrame([
        "Error: x",
        "    at Object.send (/var/task/node_modules/@aws-sdk/client/dist/index.js:10:5)",
        "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
        "    at chargeCard (file:///var/task/src/payments/charge.mjs:31:11)",
        "    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)",
      ]),
    ).toBe("chargeCard (/var/task/src/payments/charge.mjs)");
    expect(
      topInAppFrame(["    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)"]),
    ).toBeNull();
    expect(topInAppFrame(["    at main (/var/task/bootstrap)"])).toBe("main (/var/task/bootstrap)");
  });

  it("Python: the innermost in-app frame is the last listed", () => {
    expect(
      topInAppFrame([
        'Traceback (most recent call last):\n  File "/var/task/app.py", line 42, in handler\n    x()\n' +
          '  File "/var/task/app/repo.py", line 9, in save\n    t.put_item()\n' +
          '  File "/var/lang/lib/python3.12/site-packages/botocore/client.py", line 553, in _api_call\n',
      ]),
    ).toBe("save (/var/task/app/repo.py)");
  });

  it("Java and Ruby frames", () => {
    expect(
      topInAppFrame([
        "java.base/java.util.Objects.requireNonNull(Objects.java:233)",
        "com.acme.Handler.handleRequest(Handler.java:18)",
      ]),
    ).toBe("com.acme.Handler.handleRequest(Handler.java)");
    expect(topInAppFrame(["\tat com.acme.Phone.parse(Phone.java:40)"])).toBe(
      "com.acme.Phone.parse(Phone.java)",
    );
    expect(topInAppFrame(["/var/task/handler.rb:7:in 'handler'"])).toBe("handler (/var/task/handler.rb)");
  });
});

describe("fingerprint", () => {
  const base = {
    kind: "unhandled",
    errorType: "PaymentDeclinedError",
    frame: "chargeCard (/var/task/src/payments/charge.mjs)",
  };

  it("the same site with different ids is one fingerprint", () => {
    const a = fingerprint({
      ...base,
      pattern: normalizeMessage(
        "Charge ch_3Q8x2LkA9fT0cP1mZ7 declined for customer cus_Nf8aK2pQ0xY4 (code: card_declined)",
      ),
    });
    const b = fingerprint({
      ...base,
      pattern: normalizeMessage(
        "Charge ch_9Zp1QwErTy7UiOp2AsD3 declined for customer cus_Lk5Jh4Gf3Ds2 (code: card_declined)",
      ),
    });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
  });

  it("different sites are different fingerprints", () => {
    const pattern = normalizeMessage("Charge ch_3Q8x2LkA9fT0cP1mZ7 declined (code: card_declined)");
    const fps = [
      fingerprint({ ...base, pattern }),
      fingerprint({
        ...base,
        pattern: normalizeMessage("Charge ch_3Q8x2LkA9fT0cP1mZ7 refunded (code: card_declined)"),
      }),
      fingerprint({ ...base, pattern, errorType: "CardError" }),
      fingerprint({ ...base, pattern, frame: "refund (/var/task/src/payments/refund.mjs)" }),
      fingerprint({ ...base, pattern, frame: null }),
      fingerprint({ ...base, pattern, kind: "logged" }),
    ];
    expect(new Set(fps).size).toBe(fps.length);
  });

  it("is stable (a stored fingerprint keeps meaning the same group)", () => {
    expect(
      fingerprint({
        kind: "timeout",
        errorType: "Sandbox.Timedout",
        pattern: "Task timed out after <n> seconds",
        frame: null,
      }),
    ).toBe(
      fingerprint({
        kind: "timeout",
        errorType: "Sandbox.Timedout",
        pattern: "Task timed out after <n> seconds",
        frame: null,
      }),
    );
  });
});
