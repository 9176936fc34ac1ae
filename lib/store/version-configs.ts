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
import { z } from "zod";
import type { FunctionConfig } from "@/lib/core/lambda/types";
import type { Db } from "./database";

export const VERSION_CONFIG_MAX_AGE_MS = 7 * 86_400_000;

/** A ListFunctions(ALL) listing spread over runs resumes from its marker while it is this fresh. */
export const INVENTORY_CURSOR_MAX_AGE_MS = 3_600_000;

export interface VersionConfigStore {
  /** The stored configurations among `arns` read after now − max age, by ARN. */
  get(arns: readonly string[], now: number): Map<string, FunctionConfig>;
  put(configs: readonly FunctionConfig[], now: number): void;
  /** Where the version inventory of `scope` (an account and region) stopped, if it stopped recently. */
  cursor(scope: string, now: number): string | null;
  setCursor(scope: string, marker: string | null, now: number): void;
}

// What a reader relies on; the rest of FunctionConfig rides along as written.
const storedConfig = z
  .object({ name: z.string(), arn: z.string(), version: z.string(), runtime: z.string().nullable() })
  .passthrough();

export function createVersionConfigStore(db: Db): VersionConfigStore {
  // json_each takes the whole key list as one parameter: no limit on host parameters per statement.
  const select = db.prepare(
    "SELECT arn, config_json FROM lambda_version_configs WHERE arn IN (SELECT value FROM json_each(?)) AND read_at > ?",
  );
  const upsert = db.prepare(
    `INSERT INTO lambda_version_configs (arn, config_json, read_at) VALUES (?, ?, ?)
     ON CONFLICT (arn) DO UPDATE SET config_json = excluded.config_json, read_at = excluded.read_at`,
  );
  const selectCursor = db.prepare(
    "SELECT marker FROM lambda_inventory_cursors WHERE scope = ? AND updated_at > ?",
  );
  const upsertCursor = db.prepare(
    `INSERT INTO lambda_inventory_cursors (scope, marker, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (scope) DO UPDATE SET marker = excluded.marker, updated_at = excluded.updated_at`,
  );
  const deleteCursor = db.prepare("DELETE FROM lambda_inventory_cursors WHERE scope = ?");
  const putAll = db.transaction((configs: readonly FunctionConfig[], now: number) => {
    for (const c of configs) upsert.run(c.arn, JSON.stringify(c), now);
  });
  return {
    get(arns, now) {
      const out = new Map<string, FunctionConfig>();
      if (arns.length === 0) return out;
      const rows = select.all(JSON.stringify(arns), now - VERSION_CONFIG_MAX_AGE_MS) as {
        arn: string;
        config_json: string;
      }[];
      for (const row of rows) {
        try {
          const parsed = storedConfig.safeParse(JSON.parse(row.config_json));
          if (parsed.success) out.set(row.arn, parsed.data as unknown as FunctionConfig);
        } catch {
          // Unparseable: left out, so it is read from AWS again.
        }
      }
      return out;
    },
    put(configs, now) {
      if (configs.length > 0) putAll(configs, now);
    },
    cursor(scope, now) {
      const row = selectCursor.get(scope, now - INVENTORY_CURSOR_MAX_AGE_MS) as
        { marker: string } | undefined;
      return row?.marker ?? null;
    },
    setCursor(scope, marker, now) {
      if (marker === null) deleteCursor.run(scope);
      else upsertCursor.run(scope, marker, now);
    },
  };
}

/** A process-lifetime map in front of a store (or alone, for tests and stateless runs). */
export function memoizedVersionConfigs(behind: VersionConfigStore | null): VersionConfigStore {
  const memory = new Map<string, FunctionConfig>();
  const cursors = new Map<string, { marker: string; at: number }>();
  return {
    cursor(scope, now) {
      if (behind) return behind.cursor(scope, now);
      const c = cursors.get(scope);
      return c && c.at > now - INVENTORY_CURSOR_MAX_AGE_MS ? c.marker : null;
    },
    setCursor(scope, marker, now) {
      if (behind) behind.setCursor(scope, marker, now);
      else if (marker === null) cursors.delete(scope);
      else cursors.set(scope, { marker, at: now });
    },
    get(arns, now) {
      const out = new Map<string, FunctionConfig>();
      const missing: string[] = [];
      for (const arn of arns) {
        const c = memory.get(arn);
        if (c) out.set(arn, c);
        else missing.push(arn);
      }
      if (behind && missing.length > 0) {
        for (const [arn, c] of behind.get(missing, now)) {
          memory.set(arn, c);
          out.set(arn, c);
        }
      }
      return out;
    },
    put(configs, now) {
      for (const c of configs) memory.set(c.arn, c);
      behind?.put(configs, now);
    },
  };
}

/** The ARN of `version` of the function whose $LATEST configuration is `latest` (qualified or not). */
export const versionArn = (latest: FunctionConfig, version: string): string =>
  `${latest.arn.replace(/:\$LATEST$/, "")}:${version}`;
