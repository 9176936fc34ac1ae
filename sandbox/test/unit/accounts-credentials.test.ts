/** Credential → account resolution: header and presigned forms, issued sessions, expiry, access key maps. */
import { describe, expect, it } from "vitest";
import { resolveCaller, signedCredentials } from "../../src/accounts/credentials";
import { createSessionStore } from "../../src/accounts/sessions";

const MANAGEMENT = "111111111111";
const MEMBER = "222222222222";
const NOW = Date.UTC(2026, 11, 7, 12);
const auth = (akid: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=${akid}/20261207/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=abc`,
});

function setup() {
  const sessions = createSessionStore();
  let now = NOW;
  const rules = {
    sessions,
    management: MANAGEMENT,
    accessKeys: new Map([["AKIAMEMBEREXAMPLE", MEMBER]]),
    now: () => now,
  };
  const session = sessions.issue({
    accountId: MEMBER,
    roleName: "fleetscope",
    sessionName: "s",
    expiresAtMs: NOW + 900_000,
  });
  return { rules, session, advance: (ms: number) => (now += ms) };
}

describe("resolveCaller", () => {
  it("reads the key id and token from the Authorization header or a presigned query", () => {
    expect(
      signedCredentials({ ...auth("AKIDX"), "x-amz-security-token": "tok" }, new URLSearchParams()),
    ).toEqual({
      accessKeyId: "AKIDX",
      sessionToken: "tok",
    });
    const q = new URLSearchParams({
      "X-Amz-Credential": "ASIAQUERY/20261207/us-east-1/lambda/aws4_request",
      "X-Amz-Security-Token": "qtok",
    });
    expect(signedCredentials({}, q)).toEqual({ accessKeyId: "ASIAQUERY", sessionToken: "qtok" });
  });

  it("maps an issued session to its account and role until it expires", () => {
    const { rules, session, advance } = setup();
    const headers = { ...auth(session.accessKeyId), "x-amz-security-token": session.sessionToken };
    const r = resolveCaller(headers, new URLSearchParams(), rules);
    expect(r).toMatchObject({
      ok: true,
      caller: { accountId: MEMBER, arn: `arn:aws:sts::${MEMBER}:assumed-role/fleetscope/s` },
    });
    advance(899_999);
    expect(resolveCaller(headers, new URLSearchParams(), rules).ok).toBe(true);
    advance(1);
    expect(resolveCaller(headers, new URLSearchParams(), rules)).toEqual({
      ok: false,
      reason: "expired-token",
    });
  });

  it("refuses unknown ASIA keys and wrong tokens; other keys act in their mapped account or the management one", () => {
    const { rules, session } = setup();
    const none = new URLSearchParams();
    expect(resolveCaller(auth("ASIANEVERISSUED0000"), none, rules)).toEqual({
      ok: false,
      reason: "invalid-token",
    });
    expect(
      resolveCaller({ ...auth(session.accessKeyId), "x-amz-security-token": "other" }, none, rules),
    ).toEqual({
      ok: false,
      reason: "invalid-token",
    });
    expect(resolveCaller(auth(session.accessKeyId), none, rules).ok).toBe(false);
    const member = resolveCaller(auth("AKIAMEMBEREXAMPLE"), none, rules);
    expect(member.ok && member.caller.arn).toBe(`arn:aws:iam::${MEMBER}:user/fleetscope-sandbox`);
    const dummy = resolveCaller(auth("test"), none, rules);
    expect(dummy.ok && dummy.caller.accountId).toBe(MANAGEMENT);
  });
});
