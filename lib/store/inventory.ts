/**
 * The Lambda inventory the collector keeps: per region the account settings, per function its $LATEST
 * configuration (from ListFunctions) and its details (aliases, reserved and provisioned concurrency), read
 * within a control-plane budget and re-read when the function changed (its RevisionId) or grew old.
 *
 * Invariants:
 * - A function missing from the latest complete listing is removed (`retain`), with its details.
 * - Details carry the RevisionId they were read at, so "changed since" is one comparison.
 * - Rows are our own JSON; what a reader relies on is checked with zod and a row that fails is "missing".
 */
import { z } from "zod";
import type { AccountSettings, Alias, FunctionConfig, ProvisionedConcurrency } from "@/lib/core/lambda/types";
import type { Db } from "./database";

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
  functions(region: string): InventoryEntry[];
  get(region: string, name: string): InventoryEntry | null;
  /**
   * Upserts listed configurations (keeping details); `now` marks them listed. `configs` may hold published
   * versions too (a FunctionVersion=ALL listing): their numbers are kept with their function.
   */
  putConfigs(region: string, configs: readonly FunctionConfig[], now: number): void;
  /** Removes functions of `region` not in `names` (after a complete listing). */
  retain(region: string, names: ReadonlySet<string>): number;
  putDetails(region: string, name: string, details: FunctionDetails, revisionId: string, now: number): void;
  /** Replaces one alias in a function's stored details (after the console changed it), if details are stored. */
  putAlias(region: string, functionName: string, alias: Alias): void;
  account(region: string): { settings: AccountSettings; listedAt: number } | null;
  putAccount(region: string, settings: AccountSettings, now: number): void;
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

export function createInventoryStore(db: Db): InventoryStore {
  const all = db.prepare("SELECT * FROM inventory_functions WHERE region = ? ORDER BY name");
  const one = db.prepare("SELECT * FROM inventory_functions WHERE region = ? AND name = ?");
  const upsertConfig = db.prepare(
    `INSERT INTO inventory_functions (region, name, config_json, revision_id, published_versions, listed_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (region, name) DO UPDATE SET config_json = excluded.config_json,
       revision_id = excluded.revision_id, published_versions = excluded.published_versions,
       listed_at = excluded.listed_at`,
  );
  // Published versions' configurations go where version-configs.ts keeps them (by qualified ARN): the
  // listing already read them, their LastModified dates each publish (deployment markers), and the advisor
  // then need not read them again.
  const upsertVersion = db.prepare(
    `INSERT INTO lambda_version_configs (arn, config_json, read_at) VALUES (?, ?, ?)
     ON CONFLICT (arn) DO UPDATE SET config_json = excluded.config_json, read_at = excluded.read_at`,
  );
  const names = db.prepare("SELECT name FROM inventory_functions WHERE region = ?");
  const remove = db.prepare("DELETE FROM inventory_functions WHERE region = ? AND name = ?");
  const setDetails = db.prepare(
    `UPDATE inventory_functions SET details_json = ?, details_revision_id = ?, details_read_at = ?
     WHERE region = ? AND name = ?`,
  );
  const getAccount = db.prepare("SELECT account_json, listed_at FROM inventory_regions WHERE region = ?");
  const upsertAccount = db.prepare(
    `INSERT INTO inventory_regions (region, account_json, listed_at) VALUES (?, ?, ?)
     ON CONFLICT (region) DO UPDATE SET account_json = excluded.account_json, listed_at = excluded.listed_at`,
  );

  const putConfigs = db.transaction((region: string, configs: readonly FunctionConfig[], now: number) => {
    const versions = new Map<string, string[]>();
    for (const c of configs)
      if (c.version !== "$LATEST") {
        versions.set(c.name, [...(versions.get(c.name) ?? []), c.version]);
        upsertVersion.run(c.arn, JSON.stringify(c), now);
      }
    for (const c of configs) {
      if (c.version !== "$LATEST") continue;
      const published = (versions.get(c.name) ?? []).sort((a, b) => Number(a) - Number(b));
      upsertConfig.run(region, c.name, JSON.stringify(c), c.revisionId, JSON.stringify(published), now);
    }
  });
  const retain = db.transaction((region: string, keep: ReadonlySet<string>) => {
    let n = 0;
    for (const { name } of names.all(region) as { name: string }[])
      if (!keep.has(name)) n += remove.run(region, name).changes;
    return n;
  });

  // Parsed entries by row, reused while the row's text is unchanged: validating 5,000 configs on every read
  // took a tenth of a 30-day fleet view, and the collector reads the list several times a tick. Keyed on the
  // text itself, so a write by another process (a separate collector) is seen at the next read.
  const parsed = new Map<string, { row: Row; entry: InventoryEntry | null }>();
  const entryOf = (r: Row): InventoryEntry | null => {
    const key = `${r.region}\u0000${r.name}`;
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
    functions: (region) => (all.all(region) as Row[]).flatMap((r) => entryOf(r) ?? []),
    get: (region, name) => {
      const r = one.get(region, name) as Row | undefined;
      return r ? entryOf(r) : null;
    },
    putConfigs: (region, configs, now) => putConfigs(region, configs, now),
    retain: (region, keep) => retain(region, keep),
    putDetails: (region, name, details, revisionId, now) =>
      void setDetails.run(JSON.stringify(details), revisionId, now, region, name),
    putAlias(region, functionName, alias) {
      const entry = this.get(region, functionName);
      if (!entry?.details || entry.detailsRevisionId === null) return;
      const aliases = [...entry.details.aliases.filter((a) => a.name !== alias.name), alias].sort((a, b) =>
        a.name.localeCompare(b.name),
      );
      setDetails.run(
        JSON.stringify({ ...entry.details, aliases }),
        entry.detailsRevisionId,
        entry.detailsReadAt,
        region,
        functionName,
      );
    },
    account(region) {
      const r = getAccount.get(region) as { account_json: string; listed_at: number } | undefined;
      if (!r) return null;
      try {
        return { settings: JSON.parse(r.account_json) as AccountSettings, listedAt: r.listed_at };
      } catch {
        return null;
      }
    },
    putAccount: (region, settings, now) => void upsertAccount.run(region, JSON.stringify(settings), now),
  };
}
