import { expect, it, vi } from "vitest";
import { FleetscopeError, isFleetscopeError, toOutcomeError } from "@/lib/core/errors";

it("recognises a coded error made by another copy of the module (another server bundle)", async () => {
  vi.resetModules();
  // A second instance of the module, as another server bundle would have (the query makes it a new module).
  const copy = "@/lib/core/errors?copy";
  const other = (await import(/* @vite-ignore */ copy)) as typeof import("@/lib/core/errors");
  const foreign = new other.FleetscopeError("Unavailable", "The store (PostgreSQL) is unreachable: refused");
  expect(other.FleetscopeError).not.toBe(FleetscopeError);
  expect(foreign instanceof FleetscopeError).toBe(true);
  expect(isFleetscopeError(foreign)).toBe(true);
  expect(toOutcomeError(foreign)).toEqual({ code: "Unavailable", message: foreign.message });
});

it("does not take a plain error, or one that only looks alike, for a coded one", () => {
  const lookalike = Object.assign(new Error("x"), { name: "FleetscopeError", code: "NotFound" });
  expect(isFleetscopeError(lookalike)).toBe(false);
  expect(isFleetscopeError(new Error("x"))).toBe(false);
  expect(isFleetscopeError(null)).toBe(false);
});
