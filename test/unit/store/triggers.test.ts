/**
 * The trigger store on a real in-memory SQLite: readings round-trip part by part (values and coded errors),
 * retried parts merge without touching the reading's time or revision, retain drops vanished functions, the
 * region-wide listing round-trips, and an unreadable row is "not read".
 */
import { describe, expect, it } from "vitest";
import { seconds } from "@/lib/core/units";
import { openDatabase } from "@/lib/store/database";
import { createTriggerStore, type StoredMapping, type TriggerReading } from "@/lib/store/triggers";
import { sqsMapping } from "@/test/support/event-source-mappings";

const REGION = "us-east-1";

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

describe("trigger store", () => {
  it("keeps each part as read, a value or its coded error, with the revision and time", () => {
    const store = createTriggerStore(openDatabase(":memory:"));
    expect(store.get(REGION, "thumbs")).toBeNull();
    store.put(REGION, "thumbs", reading());
    expect(store.get(REGION, "thumbs")).toEqual(reading());
    expect(store.get("eu-west-1", "thumbs")).toBeNull();
    expect([...store.list(REGION).keys()]).toEqual(["thumbs"]);
  });

  it("merges retried parts, recording when, and keeps the reading's time and revision", () => {
    const store = createTriggerStore(openDatabase(":memory:"));
    store.put(REGION, "thumbs", reading());
    store.putParts(REGION, "thumbs", { pushSources: { ok: true, value: [] } }, 5_000);
    const got = store.get(REGION, "thumbs")!;
    expect(got.parts.pushSources).toEqual({ ok: true, value: [] });
    expect(got.parts.recursion).toEqual({ ok: true, value: "Allow" });
    expect(got.retriedAt).toEqual({ pushSources: 5_000 });
    expect([got.readAt, got.revisionId]).toEqual([1_000, "rev-1"]);
    // A whole reading replaces everything, retry times included.
    store.put(REGION, "thumbs", reading({ readAt: 9_000, revisionId: "rev-2" }));
    expect(store.get(REGION, "thumbs")!.retriedAt).toEqual({});
    // No reading: nothing to merge into.
    store.putParts(REGION, "other", { url: { ok: true, value: null } }, 5_000);
    expect(store.get(REGION, "other")).toBeNull();
  });

  it("drops the readings of functions no longer listed, in that region only", () => {
    const store = createTriggerStore(openDatabase(":memory:"));
    for (const name of ["a", "b", "c"]) store.put(REGION, name, reading());
    store.put("eu-west-1", "a", reading());
    expect(store.retain(REGION, new Set(["b"]))).toBe(2);
    expect([...store.list(REGION).keys()]).toEqual(["b"]);
    expect(store.get("eu-west-1", "a")).not.toBeNull();
  });

  it("keeps the region-wide mapping listing with its time", () => {
    const store = createTriggerStore(openDatabase(":memory:"));
    expect(store.listing(REGION)).toBeNull();
    const mappings = [mapping("jobs"), mapping("jobs", "live")];
    store.putListing(REGION, mappings, 2_000);
    expect(store.listing(REGION)).toEqual({ mappings, listedAt: 2_000 });
    store.putListing(REGION, [], 3_000);
    expect(store.listing(REGION)).toEqual({ mappings: [], listedAt: 3_000 });
  });

  it("treats rows it cannot read as not read", () => {
    const db = openDatabase(":memory:");
    const store = createTriggerStore(db);
    store.put(REGION, "thumbs", reading());
    store.put(REGION, "other", reading());
    store.putListing(REGION, [mapping("jobs")], 2_000);
    db.prepare("UPDATE trigger_readings SET parts_json = '{not json' WHERE name = 'thumbs'").run();
    db.prepare(
      `UPDATE trigger_readings SET parts_json = '{"parts":{"url":{"ok":true}}}' WHERE name = 'other'`,
    ).run();
    db.prepare("UPDATE trigger_mapping_listings SET mappings_json = '[{\"functionName\":1}]'").run();
    expect(store.get(REGION, "thumbs")).toBeNull();
    expect(store.get(REGION, "other")).toBeNull();
    expect(store.list(REGION).size).toBe(0);
    expect(store.listing(REGION)).toBeNull();
  });
});
