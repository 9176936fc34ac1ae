import { describe, expect, it } from "vitest";
import { lookupView } from "@/app/lookup-view";
import { decodeSegment } from "@/lib/url/params";
import { FleetscopeError, invalidInput, notFound } from "@/lib/core/errors";
import type { RequestView } from "@/lib/data/traces/request-view";

describe("decodeSegment", () => {
  it("decodes %-escapes and keeps a malformed segment as typed", () => {
    expect(decodeSegment("my%20fn%3Av2")).toBe("my fn:v2");
    expect(decodeSegment("100%")).toBe("100%");
  });
});

describe("lookupView", () => {
  const view = { requestId: "r-1" } as unknown as RequestView;

  it("passes the found view through", async () => {
    await expect(lookupView(async () => view)).resolves.toEqual({ ok: true, view });
  });

  it("turns a malformed id or an empty window into a page message", async () => {
    await expect(
      lookupView(async () => {
        throw invalidInput("not a request id");
      }),
    ).resolves.toEqual({ ok: false, code: "InvalidInput", message: "not a request id" });
    await expect(
      lookupView(async () => {
        throw notFound("no REPORT line in the window");
      }),
    ).resolves.toEqual({ ok: false, code: "NotFound", message: "no REPORT line in the window" });
  });

  it("lets any other failure reach the error boundary", async () => {
    const throttled = new FleetscopeError("Throttled", "slow down");
    await expect(
      lookupView(async () => {
        throw throttled;
      }),
    ).rejects.toBe(throttled);
    await expect(
      lookupView(async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
  });
});
