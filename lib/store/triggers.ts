/**
 * How each function is invoked, as the collector read it: per function one reading of the parts that need a
 * call per function (GetPolicy's push sources, GetFunctionUrlConfig, GetFunctionEventInvokeConfig,
 * GetFunctionRecursionConfig), and per region the region-wide ListEventSourceMappings listing, from which every
 * function's mappings are taken (one paged call for the region instead of one per function).
 *
 * Invariants:
 * - Each part is an Outcome: the value read (null where AWS has none: no policy is no push sources, no URL,
 *   no event invoke config) or the coded error it failed with, so a throttled GetPolicy keeps the other parts.
 * - A reading carries the RevisionId it was read at and when it was read; `putParts` replaces some parts (a
 *   failed part retried) and keeps the reading's time and revision, recording when each retried part was read,
 *   so retries are paced without making the other parts look fresher than they are.
 * - A function missing from the latest complete listing loses its reading (`retain`).
 * - Rows are our own JSON; a row whose shape does not check (zod) is "not read", never a wrong value.
 */
import { z } from "zod";
import type { Outcome } from "@/lib/core/errors";
import type {
  AsyncConfig,
  EventSourceMapping,
  FunctionUrl,
  PushSource,
  RecursiveLoop,
} from "@/lib/core/triggers/types";
import type { Db } from "./database";

export interface TriggerParts {
  /** From the resource policy; an empty list when the function has none. */
  pushSources: Outcome<PushSource[]>;
  url: Outcome<FunctionUrl | null>;
  /** null: no event invoke config, AWS's defaults apply. */
  async: Outcome<AsyncConfig | null>;
  recursion: Outcome<RecursiveLoop>;
}

export type TriggerPart = keyof TriggerParts;
export const TRIGGER_PARTS: readonly TriggerPart[] = ["pushSources", "url", "async", "recursion"];

export interface TriggerReading {
  parts: TriggerParts;
  /** The function's RevisionId when it was read (AddPermission and RemovePermission change it). */
  revisionId: string;
  readAt: number;
  /** When parts retried since the reading were read (absent: read with the reading). */
  retriedAt: Partial<Record<TriggerPart, number>>;
}

/** One mapping of the region-wide listing, with the function (and alias or version) it invokes. */
export interface StoredMapping {
  functionName: string;
  qualifier: string | null;
  mapping: EventSourceMapping;
}

export interface MappingListing {
  mappings: StoredMapping[];
  listedAt: number;
}

export interface TriggerStore {
  get(region: string, name: string): TriggerReading | null;
  /** Every stored reading of the region, by function name. */
  list(region: string): Map<string, TriggerReading>;
  put(region: string, name: string, reading: TriggerReading): void;
  /** Replaces `parts` of an existing reading (retried parts, read at `now`); no-op without a reading. */
  putParts(region: string, name: string, parts: Partial<TriggerParts>, now: number): void;
  /** Removes readings of `region` whose function is not in `names` (after a complete listing). */
  retain(region: string, names: ReadonlySet<string>): number;
  listing(region: string): MappingListing | null;
  /** When the region's mappings were last listed, without reading the listing. */
  listedAt(region: string): number | null;
  putListing(region: string, mappings: readonly StoredMapping[], now: number): void;
}

const outcome = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string() }).passthrough(),
  }),
]);
const rowShape = z.object({
  parts: z.object({
    pushSources: outcome.refine((o) => !o.ok || Array.isArray(o.value)),
    url: outcome,
    async: outcome,
    recursion: outcome.refine((o) => !o.ok || o.value === "Allow" || o.value === "Terminate"),
  }),
  retriedAt: z.record(z.string(), z.number()),
});
const mappingsShape = z.array(
  z
    .object({
      functionName: z.string(),
      qualifier: z.string().nullable(),
      mapping: z.object({ uuid: z.string(), state: z.string() }).passthrough(),
    })
    .passthrough(),
);

interface ReadingRow {
  name: string;
  parts_json: string;
  revision_id: string;
  read_at: number;
}

function toReading(r: ReadingRow): TriggerReading | null {
  try {
    const row = rowShape.safeParse(JSON.parse(r.parts_json));
    if (!row.success) return null;
    return {
      parts: row.data.parts as unknown as TriggerParts,
      retriedAt: row.data.retriedAt as TriggerReading["retriedAt"],
      revisionId: r.revision_id,
      readAt: r.read_at,
    };
  } catch {
    return null;
  }
}

export function createTriggerStore(db: Db): TriggerStore {
  const one = db.prepare("SELECT * FROM trigger_readings WHERE region = ? AND name = ?");
  const all = db.prepare("SELECT * FROM trigger_readings WHERE region = ?");
  const upsert = db.prepare(
    `INSERT INTO trigger_readings (region, name, parts_json, revision_id, read_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (region, name) DO UPDATE SET parts_json = excluded.parts_json,
       revision_id = excluded.revision_id, read_at = excluded.read_at`,
  );
  const setParts = db.prepare("UPDATE trigger_readings SET parts_json = ? WHERE region = ? AND name = ?");
  const names = db.prepare("SELECT name FROM trigger_readings WHERE region = ?");
  const remove = db.prepare("DELETE FROM trigger_readings WHERE region = ? AND name = ?");
  const getListing = db.prepare(
    "SELECT mappings_json, listed_at FROM trigger_mapping_listings WHERE region = ?",
  );
  const getListedAt = db.prepare("SELECT listed_at FROM trigger_mapping_listings WHERE region = ?");
  const upsertListing = db.prepare(
    `INSERT INTO trigger_mapping_listings (region, mappings_json, listed_at) VALUES (?, ?, ?)
     ON CONFLICT (region) DO UPDATE SET mappings_json = excluded.mappings_json, listed_at = excluded.listed_at`,
  );

  const parsedListings = new Map<string, { listedAt: number; listing: MappingListing | null }>();
  const get = (region: string, name: string) => {
    const r = one.get(region, name) as ReadingRow | undefined;
    return r ? toReading(r) : null;
  };
  // Read-modify-write in one transaction, so a concurrent full reading is not overwritten with older parts.
  const putParts = db.transaction(
    (region: string, name: string, parts: Partial<TriggerParts>, now: number) => {
      const current = get(region, name);
      if (!current) return;
      const retriedAt = { ...current.retriedAt };
      for (const part of Object.keys(parts)) retriedAt[part as TriggerPart] = now;
      setParts.run(JSON.stringify({ parts: { ...current.parts, ...parts }, retriedAt }), region, name);
    },
  );
  const retain = db.transaction((region: string, keep: ReadonlySet<string>) => {
    let n = 0;
    for (const { name } of names.all(region) as { name: string }[])
      if (!keep.has(name)) n += remove.run(region, name).changes;
    return n;
  });

  return {
    get,
    list(region) {
      const out = new Map<string, TriggerReading>();
      for (const r of all.all(region) as ReadingRow[]) {
        const reading = toReading(r);
        if (reading) out.set(r.name, reading);
      }
      return out;
    },
    put: (region, name, reading) =>
      void upsert.run(
        region,
        name,
        JSON.stringify({ parts: reading.parts, retriedAt: reading.retriedAt }),
        reading.revisionId,
        reading.readAt,
      ),
    putParts: (region, name, parts, now) => putParts(region, name, parts, now),
    retain: (region, keep) => retain(region, keep),
    listing(region) {
      // Parsed once per listing: every function page reads it, and a region's listing can hold thousands.
      const listedAt = (getListedAt.get(region) as { listed_at: number } | undefined)?.listed_at;
      if (listedAt === undefined) return null;
      const memo = parsedListings.get(region);
      if (memo && memo.listedAt === listedAt) return memo.listing;
      const r = getListing.get(region) as { mappings_json: string; listed_at: number } | undefined;
      if (!r) return null;
      let listing: MappingListing | null = null;
      try {
        const mappings = mappingsShape.safeParse(JSON.parse(r.mappings_json));
        if (mappings.success)
          listing = { mappings: mappings.data as unknown as StoredMapping[], listedAt: r.listed_at };
      } catch {
        listing = null;
      }
      parsedListings.set(region, { listedAt: r.listed_at, listing });
      return listing;
    },
    listedAt: (region) => (getListedAt.get(region) as { listed_at: number } | undefined)?.listed_at ?? null,
    putListing: (region, mappings, now) => void upsertListing.run(region, JSON.stringify(mappings), now),
  };
}
