/**
 * The Lambda inventory the collector keeps: per account-region the account settings, per function its $LATEST
 * configuration (from ListFunctions) and its details (aliases, reserved and provisioned concurrency), read
 * within a control-plane budget and re-read when the function changed (its RevisionId) or grew old.
 *
 * Invariants:
 * - A function missing from the latest complete listing is removed (`retain`), with its details.
 * - Details carry the RevisionId they were read at, so "changed since" is one comparison.
 * - Rows are our own JSON; what a reader relies on is checked with zod and a row that fails is "missing".
 * - A listing is stored in one transaction (`putConfigs`), so a reader sees all of it or none of it.
 * - Functions are listed by name in code-unit order on both engines.
 */
import { sql } from "kysely";
import { z } from "zod";
import type { Scope } from "@/lib/core/accounts/scope";
import type { AccountSettings, Alias, FunctionConfig, ProvisionedConcurrency } from "@/lib/core/lambda/types";
import type { Db } from "./database";
import { atomically, byCodeUnits, chunked, lastByKey } from "./writes";

export interface FunctionDetails {
  aliases: Alias[];
  reservedConcurrency: number | null;
  provisioned: ProvisionedConcurrency[];
}

export interface InventoryEntry {
  config: FunctionConfig;
  /** Published version numbers, ascending (from the same listing). */
  publishedVersions: string[];
  details: FunctionDetails | null;
  /** The function's RevisionId when its details were read (stale when it differs from config.revisionId). */
  detailsRevisionId: string | null;
  detailsReadAt: number | null;
  listedAt: number;
}

export interface InventoryStore {
  functions(scope: Scope): Promise<InventoryEntry[]>;
  get(scope: Scope, name: string): Promise<InventoryEntry | null>;
  /**
   * Upserts listed configurations (keeping details); `now` marks them listed. `configs` may hold published
   * versions too (a FunctionVersion=ALL listing): their numbers are kept with their function.
   */
  putConfigs(scope: Scope, configs: readonly FunctionConfig[], now: number): Promise<void>;
  /** Removes functions of `scope` not in `names` (after a complete listing). */
  retain(scope: Scope, names: ReadonlySet<string>): Promise<number>;
  putDetails(
    scope: Scope,
    name: string,
    details: FunctionDetails,
    revisionId: string,
    now: number,
  ): Promise<void>;
  /** Replaces one alias in a function's stored details (after the console changed it), if details are stored. */
  putAlias(scope: Scope, functionName: string, alias: Alias): Promise<void>;
  /** The account's settings (GetAccountSettings) in the scope's region. */
  account(scope: Scope): Promise<{ settings: AccountSettings; listedAt: number } | null>;
  putAccount(scope: Scope, settings: AccountSettings, now: number): Promise<void>;
}

const configShape = z
  .object({ name: z.string(), region: z.string(), logGroup: z.string(), revisionId: z.string() })
  .passthrough();
const detailsShape = z
  .object({
    aliases: z.array(z.object({ name: z.string() }).passthrough()),
    provisioned: z.array(z.unknown()),
  })
  .passthrough();

interface Row {
  account: string;
  region: string;
  name: string;
  config_json: string;
  published_versions: string;
  details_json: string | null;
  details_revision_id: string | null;
  details_read_at: number | null;
  listed_at: number;
}

function toEntry(r: Row): InventoryEntry | null {
  try {
    const config = configShape.safeParse(JSON.parse(r.config_json));
    if (!config.success) return null;
    const details = r.details_json === null ? null : detailsShape.safeParse(JSON.parse(r.details_json));
    const versions = z.array(z.string()).safeParse(JSON.parse(r.published_versions));
    return {
      config: config.data as unknown as FunctionConfig,
      publishedVersions: versions.success ? versions.data : [],
      details: details?.success ? (details.data as unknown as FunctionDetails) : null,
      detailsRevisionId: details?.success ? r.details_revision_id : null,
      detailsReadAt: details?.success ? r.details_read_at : null,
      listedAt: r.listed_at,
    };
  } catch {
    return null;
  }
}

const ROW_COLUMNS = sql.raw(
  "account, region, name, config_json, published_versions, details_json, details_revision_id, details_read_at, listed_at",
);

// A read-modify-write that lost a race to a concurrent write reads again; this many times at most.
const MERGE_ATTEMPTS = 5;

export function createInventoryStore(db: Db): InventoryStore {
  const k = db.kysely;
  const row = async (scope: Scope, name: string) => {
    const { rows } = await sql<Row>`
      SELECT ${ROW_COLUMNS} FROM inventory_functions
      WHERE account = ${scope.account} AND region = ${scope.region} AND name = ${name}`.execute(k);
    return rows[0] ?? null;
  };

  // Parsed entries by row, reused while the row's text is unchanged: validating 5,000 configs on every read
  // took a tenth of a 30-day fleet view, and the collector reads the list several times a tick. Keyed on the
  // text itself, so a write by another process (a separate collector, another replica) is seen at the next read.
  const parsed = new Map<string, { row: Row; entry: InventoryEntry | null }>();
  const entryOf = (r: Row): InventoryEntry | null => {
    const key = `${r.account}\u0000${r.region}\u0000${r.name}`;
    const hit = parsed.get(key);
    if (
      hit &&
      hit.row.config_json === r.config_json &&
      hit.row.details_json === r.details_json &&
      hit.row.published_versions === r.published_versions &&
      hit.row.details_revision_id === r.details_revision_id &&
      hit.row.details_read_at === r.details_read_at &&
      hit.row.listed_at === r.listed_at
    )
      return hit.entry;
    const entry = toEntry(r);
    parsed.set(key, { row: r, entry: entry && Object.freeze(entry) });
    return entry;
  };

  return {
    async functions(scope) {
      const { rows } = await sql<Row>`
        SELECT ${ROW_COLUMNS} FROM inventory_functions
        WHERE account = ${scope.account} AND region = ${scope.region}`.execute(k);
      // By name in code-unit order, the same on both engines (PostgreSQL's ORDER BY follows its collation).
      return rows.sort((a, b) => byCodeUnits(a.name, b.name)).flatMap((r) => entryOf(r) ?? []);
    },
    async get(scope, name) {
      const r = await row(scope, name);
      return r ? entryOf(r) : null;
    },
    putConfigs: (scope, configs, now) =>
      atomically(db, async (tx) => {
        // Published versions' configurations go where version-configs.ts keeps them (by qualified ARN): the
        // listing already read them, their LastModified dates each publish (deployment markers), and the
        // advisor then need not read them again.
        const versions = new Map<string, string[]>();
        const published = configs.filter((c) => c.version !== "$LATEST");
        for (const c of published) versions.set(c.name, [...(versions.get(c.name) ?? []), c.version]);
        for (const chunk of chunked(
          lastByKey(published, (c) => c.arn),
          3,
        )) {
          await sql`
            INSERT INTO lambda_version_configs (arn, config_json, read_at)
            VALUES ${sql.join(chunk.map((c) => sql`(${c.arn}, ${JSON.stringify(c)}, ${now})`))}
            ON CONFLICT (arn) DO UPDATE SET config_json = excluded.config_json,
              read_at = excluded.read_at`.execute(tx.kysely);
        }
        const latest = lastByKey(
          configs.filter((c) => c.version === "$LATEST"),
          (c) => c.name,
        );
        for (const chunk of chunked(latest, 7)) {
          const values = chunk.map((c) => {
            const numbers = [...new Set(versions.get(c.name) ?? [])].sort((a, b) => Number(a) - Number(b));
            return sql`(${scope.account}, ${scope.region}, ${c.name}, ${JSON.stringify(c)}, ${c.revisionId}, ${JSON.stringify(numbers)}, ${now})`;
          });
          await sql`
            INSERT INTO inventory_functions (account, region, name, config_json, revision_id, published_versions,
              listed_at)
            VALUES ${sql.join(values)}
            ON CONFLICT (account, region, name) DO UPDATE SET config_json = excluded.config_json,
              revision_id = excluded.revision_id, published_versions = excluded.published_versions,
              listed_at = excluded.listed_at`.execute(tx.kysely);
        }
      }),
    retain: (scope, keep) =>
      atomically(db, async (tx) => {
        const { rows } = await sql<{ name: string }>`
          SELECT name FROM inventory_functions
          WHERE account = ${scope.account} AND region = ${scope.region}`.execute(tx.kysely);
        let n = 0;
        const gone = rows.filter((r) => !keep.has(r.name)).map((r) => r.name);
        for (const chunk of chunked(gone, 1, 2)) {
          const r = await sql`
            DELETE FROM inventory_functions
            WHERE account = ${scope.account} AND region = ${scope.region} AND name IN (${sql.join(chunk)})`.execute(
            tx.kysely,
          );
          n += Number(r.numAffectedRows ?? 0);
        }
        return n;
      }),
    async putDetails(scope, name, details, revisionId, now) {
      await sql`
        UPDATE inventory_functions SET details_json = ${JSON.stringify(details)},
          details_revision_id = ${revisionId}, details_read_at = ${now}
        WHERE account = ${scope.account} AND region = ${scope.region} AND name = ${name}`.execute(k);
    },
    async putAlias(scope, functionName, alias) {
      // Compare-and-set on the details text read, so details the collector stored meanwhile are not replaced by
      // the older ones plus this alias: the alias is put into the newer details instead.
      for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
        const r = await row(scope, functionName);
        const entry = r && entryOf(r);
        if (!r || !entry?.details || entry.detailsRevisionId === null) return;
        const aliases = [...entry.details.aliases.filter((a) => a.name !== alias.name), alias].sort((a, b) =>
          a.name.localeCompare(b.name),
        );
        const result = await sql`
          UPDATE inventory_functions SET details_json = ${JSON.stringify({ ...entry.details, aliases })}
          WHERE account = ${scope.account} AND region = ${scope.region} AND name = ${functionName}
            AND details_json = ${r.details_json}`.execute(k);
        if (Number(result.numAffectedRows ?? 0) > 0) return;
      }
      // Still racing with the collector's details reads: its next read of this function brings the alias in.
      console.warn(
        `[fleetscope] store: alias ${functionName}:${alias.name} not saved in the inventory (concurrent writes)`,
      );
    },
    async account(scope) {
      const { rows } = await sql<{ account_json: string; listed_at: number }>`
        SELECT account_json, listed_at FROM inventory_regions
        WHERE account = ${scope.account} AND region = ${scope.region}`.execute(k);
      const r = rows[0];
      if (!r) return null;
      try {
        return { settings: JSON.parse(r.account_json) as AccountSettings, listedAt: r.listed_at };
      } catch {
        return null;
      }
    },
    async putAccount(scope, settings, now) {
      await sql`
        INSERT INTO inventory_regions (account, region, account_json, listed_at)
        VALUES (${scope.account}, ${scope.region}, ${JSON.stringify(settings)}, ${now})
        ON CONFLICT (account, region) DO UPDATE SET account_json = excluded.account_json,
          listed_at = excluded.listed_at`.execute(k);
    },
  };
}
