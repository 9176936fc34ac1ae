/** The account list a sandbox simulates: defaults, seeds, and errors that name the bad account. */
import { describe, expect, it } from "vitest";
import { resolveAccounts } from "../../src/accounts/spec";
import { accountIdFor, generateAccount, startSandbox } from "../../src/index";

const NOW = Date.UTC(2026, 10, 23, 12);

describe("resolveAccounts", () => {
  it("without accounts: one management account on the base seed, as the single-account sandbox", () => {
    const [only, ...rest] = resolveAccounts(undefined, { seed: 7 });
    expect(rest).toEqual([]);
    expect(only?.id).toBe(accountIdFor(7));
    expect(only?.seed).toBe(7);
    expect(only?.roles.map((r) => r.name)).toEqual(["fleetscope", "OrganizationAccountAccessRole"]);
    expect(only?.concurrentExecutions).toBe(1000);
  });

  it("derives seeds base + 1000·i and ids from them unless given, inheriting fleet size and regions", () => {
    const list = resolveAccounts(
      [{ name: "management" }, { name: "member-1" }, { name: "pinned", id: "111122223333", seed: 5 }],
      { seed: 7, functionsPerRegion: 5, regions: ["us-east-1"] },
    );
    expect(list.map((a) => a.seed)).toEqual([7, 1007, 5]);
    expect(list.map((a) => a.id)).toEqual([accountIdFor(7), accountIdFor(1007), "111122223333"]);
    expect(list.every((a) => a.functionsPerRegion === 5 && a.regions?.join() === "us-east-1")).toBe(true);
  });

  it("refuses duplicate ids and names, bad ids, bad roles and an empty list, naming the account", () => {
    expect(() => resolveAccounts([], { seed: 7 })).toThrow(/at least one account/);
    expect(() => resolveAccounts([{ name: "a", id: "1" }], { seed: 7 })).toThrow(
      /account 'a': id must be 12 digits/,
    );
    expect(() =>
      resolveAccounts(
        [
          { name: "a", id: "111122223333" },
          { name: "b", id: "111122223333" },
        ],
        { seed: 7 },
      ),
    ).toThrow(/accounts 'a' and 'b' both have the id 111122223333/);
    expect(() => resolveAccounts([{ name: "a" }, { name: "a" }], { seed: 7 })).toThrow(/'a' is used twice/);
    expect(() => resolveAccounts([{ name: "a", roles: [{ name: "bad role" }] }], { seed: 7 })).toThrow(
      /account 'a' role 'bad role'/,
    );
    expect(() =>
      resolveAccounts([{ name: "a", roles: [{ name: "r", maxSessionSeconds: 60 }] }], { seed: 7 }),
    ).toThrow(/maxSessionSeconds must be an integer in 3600..43200/);
    expect(() =>
      resolveAccounts([{ name: "a", roles: [{ name: "r", externalId: "x" }] }], { seed: 7 }),
    ).toThrow(/externalId must be 2-1224/);
  });
});

describe("startSandbox with accounts", () => {
  it("keeps the single-account fleet unchanged and gives each account its own fleet and limit", async () => {
    const sb = await startSandbox({
      port: 0,
      seed: 7,
      functionsPerRegion: 5,
      regions: ["us-east-1"],
      now: () => NOW,
      accounts: [
        { name: "management" },
        { name: "member-1", concurrentExecutions: 300, functionsPerRegion: 7 },
      ],
    });
    try {
      const plain = generateAccount({ seed: 7, functionsPerRegion: 5, regions: ["us-east-1"], nowMs: NOW });
      expect(sb.account).toEqual(plain);
      const member = sb.accounts[1];
      expect(member?.accountId).toBe(accountIdFor(1007));
      expect(member?.regions.get("us-east-1")?.functions.size).toBe(7);
      expect(member?.regions.get("us-east-1")?.accountConcurrency).toBe(300);
      expect(sb.ctxFor(member?.accountId ?? "")?.account).toBe(member);
      expect(sb.ctx.directory?.ids()).toEqual(sb.accounts.map((a) => a.accountId));
      expect(sb.ctx.directory?.organization).toBe(true);
    } finally {
      await sb.close();
    }
  });

  it("refuses monitoring links and access keys that name accounts it does not have", async () => {
    const base = {
      port: 0,
      functionsPerRegion: 1,
      regions: ["us-east-1"],
      accounts: [{ name: "m" }, { name: "s" }],
    };
    await expect(
      startSandbox({ ...base, monitoring: { accountId: "999999999999", sourceAccountIds: [] } }),
    ).rejects.toThrow(/monitoring.accountId 999999999999 is not one of the sandbox's accounts/);
    const m = accountIdFor(7);
    await expect(
      startSandbox({ ...base, monitoring: { accountId: m, sourceAccountIds: [m] } }),
    ).rejects.toThrow(/is the monitoring account itself/);
    await expect(startSandbox({ ...base, accessKeys: { AKIAEXAMPLE1: "123456789012" } })).rejects.toThrow(
      /AKIAEXAMPLE1 maps to 123456789012, not one of the sandbox's accounts/,
    );
  });

  it("links a monitoring account to its sources in the directory", async () => {
    const ids = [accountIdFor(7), accountIdFor(1007), accountIdFor(2007)];
    const sb = await startSandbox({
      port: 0,
      functionsPerRegion: 1,
      regions: ["us-east-1"],
      now: () => NOW,
      accounts: [{ name: "management" }, { name: "member-1" }, { name: "member-2" }],
      monitoring: { accountId: ids[0] as string, sourceAccountIds: ids.slice(1) },
    });
    try {
      expect(sb.ctx.directory?.linkedSources(ids[0] as string)).toEqual(ids.slice(1));
      expect(sb.ctx.directory?.linkedSources(ids[1] as string)).toEqual([]);
    } finally {
      await sb.close();
    }
  });
});
