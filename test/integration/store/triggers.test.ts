/**
 * The trigger store on both engines (SQLite and PostgreSQL): readings round-trip part by part (values and coded errors),
 * retried parts merge without touching the reading's time or revision, retain drops vanished functions, the
 * region-wide listing round-trips, and an unreadable row is "not read".
 */
import { expect, it } from "vitest";
import type { AccountId } from "@/lib/core/accounts/account-id";
import { sql } from "kysely";
import { seconds } from "@/lib/core/units";
import { createTriggerStore, type StoredMapping, type TriggerReading } from "@/lib/store/triggers";
import { sqsMapping } from "@/test/support/event-source-mappings";
import { interleaved } from "../../support/interleave";
import { describeStores } from "../../support/stores";

const REGION = "us-east-1";
const ACCOUNT = "111111111111" as AccountId;
const at = (region: string) => ({ account: ACCOUNT, region });
const SCOPE = at(REGION);

const reading = (over: Partial<TriggerReading> = {}): TriggerReading => ({
  parts: {
    pushSources: { ok: false, error: { code: "Throttled", message: "Lambda GetPolicy: rate exceeded" } },
    url: { ok: true, value: null },
    async: {
      ok: true,
      value: { maxRetries: 0, maxEventAgeSeconds: seconds(3600), onSuccess: null, onFailure: null },
    },
    recursion: { ok: true, value: "Allow" },
  },
  revisionId: "rev-1",
  readAt: 1_000,
  retriedAt: {},
  ...over,
});

const mapping = (functionName: string, qualifier: string | null = null): StoredMapping => ({
  functionName,
  qualifier,
  mapping: sqsMapping({ uuid: `uuid-${functionName}-${qualifier ?? ""}` }),
});

describeStores("trigger store", (fresh) => {
  it("keeps each part as read, a value or its coded error, with the revision and time", async () => {
    const store = createTriggerStore(await fresh());
    expect(await store.get(SCOPE, "thumbs")).toBeNull();
    await store.put(SCOPE, "thumbs", reading());
    expect(await store.get(SCOPE, "thumbs")).toEqual(reading());
    expect(await store.get(at("eu-west-1"), "thumbs")).toBeNull();
    expect([...(await store.list(SCOPE)).keys()]).toEqual(["thumbs"]);
  });

  it("merges retried parts, recording when, and keeps the reading's time and revision", async () => {
    const store = createTriggerStore(await fresh());
    await store.put(SCOPE, "thumbs", reading());
    await store.putParts(SCOPE, "thumbs", { pushSources: { ok: true, value: [] } }, 5_000);
    const got = (await store.get(SCOPE, "thumbs"))!;
    expect(got.parts.pushSources).toEqual({ ok: true, value: [] });
    expect(got.parts.recursion).toEqual({ ok: true, value: "Allow" });
    expect(got.retriedAt).toEqual({ pushSources: 5_000 });
    expect([got.readAt, got.revisionId]).toEqual([1_000, "rev-1"]);
    // A whole reading replaces everything, retry times included.
    await store.put(SCOPE, "thumbs", reading({ readAt: 9_000, revisionId: "rev-2" }));
    expect((await store.get(SCOPE, "thumbs"))!.retriedAt).toEqual({});
    // No reading: nothing to merge into.
    await store.putParts(SCOPE, "other", { url: { ok: true, value: null } }, 5_000);
    expect(await store.get(SCOPE, "other")).toBeNull();
  });

  it("drops the readings of functions no longer listed, in that region only", async () => {
    const store = createTriggerStore(await fresh());
    for (const name of ["a", "b", "c"]) await store.put(SCOPE, name, reading());
    await store.put(at("eu-west-1"), "a", reading());
    expect(await store.retain(SCOPE, new Set(["b"]))).toBe(2);
    expect([...(await store.list(SCOPE)).keys()]).toEqual(["b"]);
    expect(await store.get(at("eu-west-1"), "a")).not.toBeNull();
  });

  it("keeps the region-wide mapping listing with its time", async () => {
    const store = createTriggerStore(await fresh());
    expect(await store.listing(SCOPE)).toBeNull();
    const mappings = [mapping("jobs"), mapping("jobs", "live")];
    await store.putListing(SCOPE, mappings, 2_000);
    expect(await store.listing(SCOPE)).toEqual({ mappings, listedAt: 2_000 });
    await store.putListing(SCOPE, [], 3_000);
    expect(await store.listing(SCOPE)).toEqual({ mappings: [], listedAt: 3_000 });
  });

  it("treats rows it cannot read as not read", async () => {
    const db = await fresh();
    const store = createTriggerStore(db);
    await store.put(SCOPE, "thumbs", reading());
    await store.put(SCOPE, "other", reading());
    await store.putListing(SCOPE, [mapping("jobs")], 2_000);
    await sql`UPDATE trigger_readings SET parts_json = '{not json' WHERE name = 'thumbs'`.execute(db.kysely);
    await sql`UPDATE trigger_readings SET parts_json = '{"parts":{"url":{"ok":true}}}' WHERE name = 'other'`.execute(
      db.kysely,
    );
    await sql`UPDATE trigger_mapping_listings SET mappings_json = '[{"functionName":1}]'`.execute(db.kysely);
    expect(await store.get(SCOPE, "thumbs")).toBeNull();
    expect(await store.get(SCOPE, "other")).toBeNull();
    expect((await store.list(SCOPE)).size).toBe(0);
    expect(await store.listing(SCOPE)).toBeNull();
  });

  it("says when the listing was read, and drops vanished functions keeping a very large listed set", async () => {
    const store = createTriggerStore(await fresh());
    expect(await store.listedAt(SCOPE)).toBeNull();
    await store.putListing(SCOPE, [mapping("jobs")], 2_000);
    expect(await store.listedAt(SCOPE)).toBe(2_000);
    for (const name of ["a", "b", "c"]) await store.put(SCOPE, name, reading());
    // A complete listing of more names than one statement may bind on either engine.
    const listed = new Set(["b", ...Array.from({ length: 40_000 }, (_, i) => `fn-${i}`)]);
    expect(await store.retain(SCOPE, listed)).toBe(2);
    expect([...(await store.list(SCOPE)).keys()]).toEqual(["b"]);
  });

  it("merges retried parts into a reading written meanwhile, never writing older parts over it", async () => {
    const db = await fresh();
    const race = interleaved(db);
    const collector = createTriggerStore(race.db);
    const other = createTriggerStore(db);
    await collector.put(SCOPE, "thumbs", reading());
    const fresher = reading({
      readAt: 9_000,
      revisionId: "rev-2",
      parts: { ...reading().parts, recursion: { ok: true, value: "Terminate" } },
    });
    // A whole new reading lands between putParts' read and its write.
    race.afterNextQuery(() => other.put(SCOPE, "thumbs", fresher));
    await collector.putParts(SCOPE, "thumbs", { pushSources: { ok: true, value: [] } }, 10_000);
    expect(race.ran).toBe(1);
    const got = (await other.get(SCOPE, "thumbs"))!;
    expect(got.parts.recursion).toEqual({ ok: true, value: "Terminate" });
    expect(got.parts.pushSources).toEqual({ ok: true, value: [] });
    expect(got.retriedAt).toEqual({ pushSources: 10_000 });
    expect([got.readAt, got.revisionId]).toEqual([9_000, "rev-2"]);
  });

  it("lists readings by name in code-unit order on both engines", async () => {
    const store = createTriggerStore(await fresh());
    for (const name of ["alpha", "Zeta", "ab", "a-b", "_x"]) await store.put(SCOPE, name, reading());
    expect([...(await store.list(SCOPE)).keys()]).toEqual(["Zeta", "_x", "a-b", "ab", "alpha"]);
  });
});
