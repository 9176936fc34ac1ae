import { describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/store/database";
import { createSessionStore } from "@/lib/store/sessions";

const row = (id: string, createdAt: number, expiresAt: number) => ({
  id,
  principalId: "local-operator",
  name: "local-operator",
  role: "operator" as const,
  via: "token" as const,
  createdAt,
  expiresAt,
});

describe("session store", () => {
  it("honours a session until it expires, ends one or all, and prunes expired rows on sign-in", () => {
    const sessions = createSessionStore(openDatabase(":memory:"));
    sessions.create(row("a", 100, 200));
    sessions.create(row("b", 100, 200));
    expect(sessions.isActive("a", 199)).toBe(true);
    expect(sessions.isActive("a", 200)).toBe(false);
    expect(sessions.isActive("nope", 150)).toBe(false);
    expect(sessions.end("a")).toBe(true);
    expect(sessions.end("a")).toBe(false);
    expect(sessions.isActive("a", 150)).toBe(false);
    sessions.create(row("c", 300, 400)); // b expired at 200: pruned
    expect(sessions.count(0)).toBe(1);
    expect(sessions.endAll()).toBe(1);
    expect(sessions.isActive("c", 350)).toBe(false);
  });
});
