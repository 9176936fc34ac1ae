/**
 * How each function is invoked, as the collector read it: per function one reading of the parts that need a
 * call per function (GetPolicy's push sources, GetFunctionUrlConfig, GetFunctionEventInvokeConfig,
 * GetFunctionRecursionConfig), and per account-region the region-wide ListEventSourceMappings listing, from which every
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
import { sql } from "kysely";
import { z } from "zod";
import { scopeKey, type Scope } from "@/lib/core/accounts/scope";
import type { Outcome } from "@/lib/core/errors";
import type {
  AsyncConfig,
  EventSourceMapping,
  FunctionUrl,
  PushSource,
  RecursiveLoop,
} from "@/lib/core/triggers/types";
import type { Db } from "./database";
import { atomically, byCodeUnits, chunked } from "./writes";

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
  get(scope: Scope, name: string): Promise<TriggerReading | null>;
  /** Every stored reading of the account-region, by function name. */
  list(scope: Scope): Promise<Map<string, TriggerReading>>;
  put(scope: Scope, name: string, reading: TriggerReading): Promise<void>;
  /** Replaces `parts` of an existing reading (retried parts, read at `now`); no-op without a reading. */
  putParts(scope: Scope, name: string, parts: Partial<TriggerParts>, now: number): Promise<void>;
  /** Removes readings of `scope` whose function is not in `names` (after a complete listing). */
  retain(scope: Scope, names: ReadonlySet<string>): Promise<number>;
  listing(scope: Scope): Promise<MappingListing | null>;
  /** When the account-region's mappings were last listed, without reading the listing. */
  listedAt(scope: Scope): Promise<number | null>;
  putListing(scope: Scope, mappings: readonly StoredMapping[], now: number): Promise<void>;
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

// A read-modify-write that lost a race to a concurrent write reads again; this many times at most.
const MERGE_ATTEMPTS = 5;

export function createTriggerStore(db: Db): TriggerStore {
  const k = db.kysely;
  const readingRow = async (scope: Scope, name: string) => {
    const { rows } = await sql<ReadingRow>`
      SELECT name, parts_json, revision_id, read_at FROM trigger_readings
      WHERE account = ${scope.account} AND region = ${scope.region} AND name = ${name}`.execute(k);
    return rows[0] ?? null;
  };
  const listedAt = async (scope: Scope) => {
    const { rows } = await sql<{ listed_at: number }>`
      SELECT listed_at FROM trigger_mapping_listings WHERE account = ${scope.account} AND region = ${scope.region}`.execute(
      k,
    );
    return rows[0]?.listed_at ?? null;
  };
  const parsedListings = new Map<string, { listedAt: number; listing: MappingListing | null }>();

  return {
    async get(scope, name) {
      const r = await readingRow(scope, name);
      return r ? toReading(r) : null;
    },
    async list(scope) {
      const { rows } = await sql<ReadingRow>`
        SELECT name, parts_json, revision_id, read_at FROM trigger_readings WHERE account = ${scope.account} AND region = ${scope.region}`.execute(
        k,
      );
      const out = new Map<string, TriggerReading>();
      for (const r of rows.sort((a, b) => byCodeUnits(a.name, b.name))) {
        const reading = toReading(r);
        if (reading) out.set(r.name, reading);
      }
      return out;
    },
    async put(scope, name, reading) {
      const parts = JSON.stringify({ parts: reading.parts, retriedAt: reading.retriedAt });
      await sql`
        INSERT INTO trigger_readings (account, region, name, parts_json, revision_id, read_at)
        VALUES (${scope.account}, ${scope.region}, ${name}, ${parts}, ${reading.revisionId}, ${reading.readAt})
        ON CONFLICT (account, region, name) DO UPDATE SET parts_json = excluded.parts_json,
          revision_id = excluded.revision_id, read_at = excluded.read_at`.execute(k);
    },
    async putParts(scope, name, parts, now) {
      // Compare-and-set on the text read, so a concurrent full reading is never overwritten with older parts:
      // the merge is made again on top of it. Portable, and holds no lock while the JSON is merged.
      for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
        const row = await readingRow(scope, name);
        const current = row && toReading(row);
        if (!row || !current) return;
        const retriedAt = { ...current.retriedAt };
        for (const part of Object.keys(parts)) retriedAt[part as TriggerPart] = now;
        const merged = JSON.stringify({ parts: { ...current.parts, ...parts }, retriedAt });
        const r = await sql`
          UPDATE trigger_readings SET parts_json = ${merged}
          WHERE account = ${scope.account} AND region = ${scope.region} AND name = ${name} AND parts_json = ${row.parts_json}`.execute(
          k,
        );
        if (Number(r.numAffectedRows ?? 0) > 0) return;
      }
      // Still racing: the retried parts stay failed in the store and are retried on a later round.
      console.warn(
        `[fleetscope] store: retried trigger parts of ${scope.account}/${scope.region}/${name} not saved (concurrent writes)`,
      );
    },
    retain: (scope, keep) =>
      atomically(db, async (tx) => {
        const { rows } = await sql<{ name: string }>`
          SELECT name FROM trigger_readings WHERE account = ${scope.account} AND region = ${scope.region}`.execute(
          tx.kysely,
        );
        let n = 0;
        for (const chunk of chunked(
          rows.filter((r) => !keep.has(r.name)).map((r) => r.name),
          1,
          2,
        )) {
          const r = await sql`
            DELETE FROM trigger_readings WHERE account = ${scope.account} AND region = ${scope.region} AND name IN (${sql.join(chunk)})`.execute(
            tx.kysely,
          );
          n += Number(r.numAffectedRows ?? 0);
        }
        return n;
      }),
    async listing(scope) {
      // Parsed once per listing: every function page reads it, and a region's listing can hold thousands.
      const at = await listedAt(scope);
      if (at === null) return null;
      const memo = parsedListings.get(scopeKey(scope));
      if (memo && memo.listedAt === at) return memo.listing;
      const { rows } = await sql<{ mappings_json: string; listed_at: number }>`
        SELECT mappings_json, listed_at FROM trigger_mapping_listings WHERE account = ${scope.account} AND region = ${scope.region}`.execute(
        k,
      );
      const r = rows[0];
      if (!r) return null;
      let listing: MappingListing | null = null;
      try {
        const mappings = mappingsShape.safeParse(JSON.parse(r.mappings_json));
        if (mappings.success)
          listing = { mappings: mappings.data as unknown as StoredMapping[], listedAt: r.listed_at };
      } catch {
        listing = null;
      }
      parsedListings.set(scopeKey(scope), { listedAt: r.listed_at, listing });
      return listing;
    },
    listedAt,
    async putListing(scope, mappings, now) {
      await sql`
        INSERT INTO trigger_mapping_listings (account, region, mappings_json, listed_at)
        VALUES (${scope.account}, ${scope.region}, ${JSON.stringify(mappings)}, ${now})
        ON CONFLICT (account, region) DO UPDATE SET mappings_json = excluded.mappings_json,
          listed_at = excluded.listed_at`.execute(k);
    },
  };
}
