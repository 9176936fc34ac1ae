import { expect, it } from "vitest";
import { createStore } from "@/lib/store";
import { createLeases } from "@/lib/store/leases";
import { describeStores } from "../../support/stores";

describeStores("leases", (fresh) => {
  it("grants a free lease, refuses a held one, and hands it over with a new generation once it lapses", async () => {
    const leases = createLeases(await fresh());
    expect(await leases.acquire("runner", "a", 1_000, 100)).toMatchObject({ owner: "a", generation: 1 });
    expect(await leases.acquire("runner", "b", 1_050, 100)).toBeNull();
    // Renewal by the holder keeps the generation.
    expect(await leases.acquire("runner", "a", 1_090, 100)).toMatchObject({
      generation: 1,
      expiresAt: 1_190,
    });
    expect(await leases.acquire("runner", "b", 1_190, 100)).toMatchObject({ owner: "b", generation: 2 });
    expect(await leases.holder("runner", 1_200)).toMatchObject({ owner: "b", generation: 2 });
    expect(await leases.holder("runner", 1_290)).toBeNull();
  });

  it("never reuses a generation: a released lease taken again, even by its old owner, is a new generation", async () => {
    const leases = createLeases(await fresh());
    await leases.acquire("collector", "a", 0, 1_000);
    await leases.release("collector", "a");
    expect(await leases.holder("collector", 10)).toBeNull();
    expect(await leases.acquire("collector", "a", 20, 1_000)).toMatchObject({ generation: 2 });
    await leases.releaseAll("a");
    expect(await leases.acquire("collector", "b", 30, 1_000)).toMatchObject({ owner: "b", generation: 3 });
  });

  it("fences writes: the old leader's write after a takeover is refused and writes nothing", async () => {
    const store = createStore(await fresh());
    const old = await store.leases.acquire("plan-runner", "a", 0, 100);
    if (!old) throw new Error("not acquired");
    await store.fenced(old, (tx) => tx.settings.set("k", "from-a"));
    expect(await store.settings.get("k")).toBe("from-a");
    const taken = await store.leases.acquire("plan-runner", "b", 200, 100);
    expect(taken).toMatchObject({ owner: "b", generation: 2 });
    await expect(store.fenced(old, (tx) => tx.settings.set("k", "late-a"))).rejects.toMatchObject({
      code: "LeaseLost",
    });
    expect(await store.settings.get("k")).toBe("from-a");
    await store.fenced(taken!, (tx) => tx.settings.set("k", "from-b"));
    expect(await store.settings.get("k")).toBe("from-b");
  });

  it("rolls back everything a fenced write did when it fails part-way", async () => {
    const store = createStore(await fresh());
    const lease = await store.leases.acquire("plan-runner", "a", 0, 100);
    await expect(
      store.fenced(lease!, async (tx) => {
        await tx.settings.set("x", "1");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await store.settings.get("x")).toBeNull();
  });
});
