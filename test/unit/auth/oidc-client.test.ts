/**
 * The provider client's transport rule: plain http only for an issuer on this machine (a local test IdP);
 * anywhere else openid-client's HTTPS-only rule stands and nothing is sent.
 */
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { providerConfiguration } from "@/lib/auth/oidc-client";
import type { OidcSettings } from "@/lib/config/env-schema";

const settings = (issuer: string): OidcSettings => ({
  issuer,
  clientId: "fleetscope",
  clientSecret: null,
  operatorGroup: "ops",
  groupsClaim: "groups",
});
const call = { timeoutMs: 1000 };

/** A loopback port nothing listens on any more: connecting to it is refused. */
async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("OIDC provider client", () => {
  it("refuses a plain-http issuer on another host before sending anything", async () => {
    await expect(providerConfiguration(settings("http://idp.example.test"), call)).rejects.toMatchObject({
      code: "Unavailable",
      message: expect.stringMatching(/only requests to HTTPS are allowed/),
    });
  });

  it("lets a plain-http loopback issuer through to the network", async () => {
    // Nothing listens there: the failure is the connection, not the scheme.
    const issuer = `http://127.0.0.1:${await closedLoopbackPort()}`;
    const failure = providerConfiguration(settings(issuer), call);
    await expect(failure).rejects.toMatchObject({ code: "Unavailable" });
    await expect(failure).rejects.not.toMatchObject({ message: expect.stringMatching(/HTTPS/) });
  });
});
