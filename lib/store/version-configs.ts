/**
 * Published Lambda versions' configurations, kept across restarts. AWS never changes a published version, so
 * the advisor reads each one once (a whole fleet's inventory costs one ListFunctions page per 50 versions)
 * rather than on every process start or pipeline run that shares the database.
 *
 * Invariants:
 * - Keyed by the qualified function ARN (account, region, name, version), so two accounts never share entries.
 * - Entries older than VERSION_CONFIG_MAX_AGE_MS are not served: a deleted and re-created function numbers its
 *   versions from 1 again, and this bounds how long such a stale entry can live.
 * - A row that no longer parses is treated as missing (it is read again), never as data.
 * - The inventory cursor (a ListFunctions marker) is only resumed within INVENTORY_CURSOR_MAX_AGE_MS; an older
 *   one starts the listing over, since AWS does not document how long a marker stays valid.
 */
import { sql } from "kysely";
import { z } from "zod";
import { scopeKey, type Scope } from "@/lib/core/accounts/scope";
import type { FunctionConfig } from "@/lib/core/lambda/types";
import type { Db } from "./database";
import { atomically, chunked, lastByKey } from "./writes";

export const VERSION_CONFIG_MAX_AGE_MS = 7 * 86_400_000;

/** A ListFunctions(ALL) listing spread over runs resumes from its marker while it is this fresh. */
export const INVENTORY_CURSOR_MAX_AGE_MS = 3_600_000;

export interface VersionConfigStore {
  /** The stored configurations among `arns` read after now − max age, by ARN. */
  get(arns: readonly string[], now: number): Promise<Map<string, FunctionConfig>>;
  put(configs: readonly FunctionConfig[], now: number): Promise<void>;
  /** Where the version inventory of `scope` stopped, if it stopped recently (stored under scopeKey). */
  cursor(scope: Scope, now: number): Promise<string | null>;
  setCursor(scope: Scope, marker: string | null, now: number): Promise<void>;
}

// What a reader relies on; the rest of FunctionConfig rides along as written.
const storedConfig = z
  .object({ name: z.string(), arn: z.string(), version: z.string(), runtime: z.string().nullable() })
  .passthrough();

export function createVersionConfigStore(db: Db): VersionConfigStore {
  const k = db.kysely;
  return {
    async get(arns, now) {
      const out = new Map<string, FunctionConfig>();
      // Keys in chunks of bound parameters (both engines cap them per statement): a fleet asks for thousands.
      for (const chunk of chunked([...new Set(arns)], 1, 1)) {
        const { rows } = await sql<{ arn: string; config_json: string }>`
          SELECT arn, config_json FROM lambda_version_configs
          WHERE arn IN (${sql.join(chunk)}) AND read_at > ${now - VERSION_CONFIG_MAX_AGE_MS}`.execute(k);
        for (const row of rows) {
          try {
            const parsed = storedConfig.safeParse(JSON.parse(row.config_json));
            if (parsed.success) out.set(row.arn, parsed.data as unknown as FunctionConfig);
          } catch {
            // Unparseable: left out, so it is read from AWS again.
          }
        }
      }
      return out;
    },
    async put(configs, now) {
      if (configs.length === 0) return;
      await atomically(db, async (tx) => {
        for (const chunk of chunked(
          lastByKey(configs, (c) => c.arn),
          3,
        )) {
          await sql`
            INSERT INTO lambda_version_configs (arn, config_json, read_at)
            VALUES ${sql.join(chunk.map((c) => sql`(${c.arn}, ${JSON.stringify(c)}, ${now})`))}
            ON CONFLICT (arn) DO UPDATE SET config_json = excluded.config_json,
              read_at = excluded.read_at`.execute(tx.kysely);
        }
      });
    },
    async cursor(scope, now) {
      const { rows } = await sql<{ marker: string }>`
        SELECT marker FROM lambda_inventory_cursors
        WHERE scope = ${scopeKey(scope)} AND updated_at > ${now - INVENTORY_CURSOR_MAX_AGE_MS}`.execute(k);
      return rows[0]?.marker ?? null;
    },
    async setCursor(scope, marker, now) {
      if (marker === null) {
        await sql`DELETE FROM lambda_inventory_cursors WHERE scope = ${scopeKey(scope)}`.execute(k);
        return;
      }
      await sql`
        INSERT INTO lambda_inventory_cursors (scope, marker, updated_at) VALUES (${scopeKey(scope)}, ${marker}, ${now})
        ON CONFLICT (scope) DO UPDATE SET marker = excluded.marker, updated_at = excluded.updated_at`.execute(
        k,
      );
    },
  };
}

/** A process-lifetime map in front of a store (or alone, for tests and stateless runs). */
export function memoizedVersionConfigs(behind: VersionConfigStore | null): VersionConfigStore {
  const memory = new Map<string, FunctionConfig>();
  const cursors = new Map<string, { marker: string; at: number }>();
  return {
    async cursor(scope, now) {
      if (behind) return behind.cursor(scope, now);
      const c = cursors.get(scopeKey(scope));
      return c && c.at > now - INVENTORY_CURSOR_MAX_AGE_MS ? c.marker : null;
    },
    async setCursor(scope, marker, now) {
      if (behind) await behind.setCursor(scope, marker, now);
      else if (marker === null) cursors.delete(scopeKey(scope));
      else cursors.set(scopeKey(scope), { marker, at: now });
    },
    async get(arns, now) {
      const out = new Map<string, FunctionConfig>();
      const missing: string[] = [];
      for (const arn of arns) {
        const c = memory.get(arn);
        if (c) out.set(arn, c);
        else missing.push(arn);
      }
      if (behind && missing.length > 0) {
        for (const [arn, c] of await behind.get(missing, now)) {
          memory.set(arn, c);
          out.set(arn, c);
        }
      }
      return out;
    },
    async put(configs, now) {
      for (const c of configs) memory.set(c.arn, c);
      await behind?.put(configs, now);
    },
  };
}

/** The ARN of `version` of the function whose $LATEST configuration is `latest` (qualified or not). */
export const versionArn = (latest: FunctionConfig, version: string): string =>
  `${latest.arn.replace(/:\$LATEST$/, "")}:${version}`;
