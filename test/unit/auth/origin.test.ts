import { describe, expect, it } from "vitest";
import { checkHost, checkSameOrigin } from "@/lib/auth/origin";

const post = {
  method: "POST",
  origin: "http://127.0.0.1:3000",
  secFetchSite: "same-origin",
  host: "127.0.0.1:3000",
  schemes: ["http"],
  publicUrl: null,
};

describe("checkSameOrigin compares scheme, host and port", () => {
  it("refuses an https Origin on an http console, and the reverse", () => {
    expect(checkSameOrigin({ ...post, origin: "https://127.0.0.1:3000" })).toMatchObject({ ok: false });
    expect(checkSameOrigin({ ...post, schemes: ["https"] })).toMatchObject({ ok: false });
    expect(
      checkSameOrigin({ ...post, origin: "https://127.0.0.1:3000", schemes: ["http", "https"] }).ok,
    ).toBe(true);
  });
  it("refuses another port or host on the same scheme", () => {
    expect(checkSameOrigin({ ...post, origin: "http://127.0.0.1:3001" }).ok).toBe(false);
    expect(checkSameOrigin({ ...post, origin: "http://localhost:3000" }).ok).toBe(false);
  });
  it("with a public URL, only its origin is accepted, whatever Host and scheme the server sees", () => {
    const behindProxy = { ...post, publicUrl: "https://fleetscope.example.com", host: "10.0.0.5:3000" };
    expect(checkSameOrigin({ ...behindProxy, origin: "https://fleetscope.example.com" }).ok).toBe(true);
    expect(checkSameOrigin({ ...behindProxy, origin: "http://fleetscope.example.com" }).ok).toBe(false);
    expect(checkSameOrigin({ ...behindProxy, origin: "http://10.0.0.5:3000" }).ok).toBe(false);
  });
  it("refuses a malformed Origin or a missing Host", () => {
    expect(checkSameOrigin({ ...post, origin: "not a url" }).ok).toBe(false);
    expect(checkSameOrigin({ ...post, host: null }).ok).toBe(false);
  });
});

describe("checkHost (DNS rebinding)", () => {
  const ok = (host: string | null, publicUrl: string | null = null) => checkHost({ host, publicUrl }).ok;
  it("without a public URL, accepts loopback names and IP literals only", () => {
    expect(ok("127.0.0.1:3000")).toBe(true);
    expect(ok("localhost:3000")).toBe(true);
    expect(ok("console.localhost")).toBe(true);
    expect(ok("[::1]:3000")).toBe(true);
    expect(ok("192.168.1.20:3000")).toBe(true);
    expect(ok("evil.example:3000")).toBe(false);
    expect(ok("127.0.0.1.nip.io:3000")).toBe(false);
    expect(ok("localhost.evil.example")).toBe(false);
  });
  it("with a public URL, accepts its host (and port) only", () => {
    const pub = "https://fleetscope.example.com";
    expect(ok("fleetscope.example.com", pub)).toBe(true);
    expect(ok("FleetScope.Example.com", pub)).toBe(true);
    expect(ok("fleetscope.example.com:8443", pub)).toBe(false);
    expect(ok("127.0.0.1:3000", pub)).toBe(false);
    expect(ok("fleetscope.example.com:8443", "https://fleetscope.example.com:8443/")).toBe(true);
  });
  it("refuses a missing or malformed Host", () => {
    expect(ok(null)).toBe(false);
    expect(ok("")).toBe(false);
    expect(ok("127.0.0.1/evil")).toBe(false);
    expect(ok("user@127.0.0.1")).toBe(false);
    expect(ok("127.0.0.1:99999")).toBe(false);
  });
});
