import { expect, it } from "vitest";
import { createSessionStore } from "@/lib/store/sessions";
import { describeStores } from "../../support/stores";

const row = (id: string, createdAt: number, expiresAt: number) => ({
  id,
  principalId: "local-operator",
  name: "local-operator",
  role: "operator" as const,
  via: "token" as const,
  createdAt,
  expiresAt,
});

describeStores("session store", (fresh) => {
  it("honours a session until it expires, ends one or all, and prunes expired rows on sign-in", async () => {
    const sessions = createSessionStore(await fresh());
    await sessions.create(row("a", 100, 200));
    await sessions.create(row("b", 100, 200));
    expect(await sessions.isActive("a", 199)).toBe(true);
    expect(await sessions.isActive("a", 200)).toBe(false);
    expect(await sessions.isActive("nope", 150)).toBe(false);
    expect(await sessions.end("a")).toBe(true);
    expect(await sessions.end("a")).toBe(false);
    expect(await sessions.isActive("a", 150)).toBe(false);
    await sessions.create(row("c", 300, 400)); // b expired at 200: pruned
    expect(await sessions.count(0)).toBe(1);
    expect(await sessions.endAll()).toBe(1);
    expect(await sessions.isActive("c", 350)).toBe(false);
  });

  it("keeps expiries beyond 32 bits (epoch ms) exact on both engines", async () => {
    const sessions = createSessionStore(await fresh());
    const ms = Date.UTC(2026, 11, 7, 18, 0);
    await sessions.create(row("ms", ms, ms + 43_200_000));
    expect(await sessions.isActive("ms", ms + 43_199_999)).toBe(true);
    expect(await sessions.isActive("ms", ms + 43_200_000)).toBe(false);
    expect(await sessions.count(ms)).toBe(1);
  });
});
