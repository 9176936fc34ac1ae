import { describe, expect, it } from "vitest";
import { errorResponse, jsonBody, MAX_BODY_BYTES } from "@/app/api/respond";
import { isFleetscopeError } from "@/lib/core/errors";

const post = (body: BodyInit | null, contentType?: string) =>
  new Request("http://127.0.0.1:3000/api/traffic/shift", {
    method: "POST",
    headers: contentType ? { "content-type": contentType } : {},
    body,
  });

const refusal = async (request: Request) => {
  try {
    await jsonBody(request);
    return null;
  } catch (e) {
    return isFleetscopeError(e) ? e.code : e;
  }
};

describe("jsonBody", () => {
  it("parses a JSON body sent as application/json, with or without parameters", async () => {
    expect(await jsonBody(post('{"a":1}', "application/json"))).toEqual({ a: 1 });
    expect(await jsonBody(post('{"a":1}', "Application/JSON; charset=utf-8"))).toEqual({ a: 1 });
  });

  it("is null for no body and for a JSON body that does not parse", async () => {
    expect(await jsonBody(post(null))).toBeNull();
    expect(await jsonBody(post("{", "application/json"))).toBeNull();
  });

  it("refuses a body of any other media type, or of none, even when it is valid JSON", async () => {
    for (const type of [
      "text/plain",
      "text/plain;charset=UTF-8",
      "application/x-www-form-urlencoded",
      "text/json",
    ]) {
      expect({ type, refused: await refusal(post('{"a":1}', type)) }).toEqual({
        type,
        refused: "InvalidInput",
      });
    }
    // An untyped Blob: fetch sends no Content-Type at all.
    expect(await refusal(post(new Blob(['{"a":1}'])))).toBe("InvalidInput");
  });
});

describe("jsonBody size limit", () => {
  const big = JSON.stringify({ reason: "x".repeat(MAX_BODY_BYTES) });

  it("refuses a body over the limit, whether it declares its length or streams it", async () => {
    expect(await refusal(post(big, "application/json"))).toBe("TooLarge");
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 3; i++) c.enqueue(new TextEncoder().encode(big.slice(0, MAX_BODY_BYTES / 2)));
        c.close();
      },
    });
    const chunked = new Request("http://127.0.0.1:3000/api/traffic/shift", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(await refusal(chunked)).toBe("TooLarge");
    expect(errorResponse(await jsonBody(post(big, "application/json")).catch((e: unknown) => e)).status).toBe(
      413,
    );
  });

  it("reads a body just under the limit", async () => {
    const fits = JSON.stringify({ reason: "x".repeat(MAX_BODY_BYTES - 20) });
    expect(await jsonBody(post(fits, "application/json"))).toEqual({
      reason: "x".repeat(MAX_BODY_BYTES - 20),
    });
  });
});

describe("errorResponse", () => {
  it("answers a refused body with a coded 400", async () => {
    const error = await jsonBody(post("{}", "text/plain")).catch((e: unknown) => e);
    const res = errorResponse(error);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("InvalidInput");
  });
});
