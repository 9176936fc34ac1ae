/**
 * URL state every route shares: the selected accounts and regions and the time range, and the params links carry
 * from page to page. Pages (server) and the shell controls (client) read and write it only through this module, so a shared
 * link means the same thing everywhere.
 *
 * `?regions=us-east-1,eu-west-1` (absent → every configured region); `?accounts=111111111111,222222222222`
 * (absent → every account the console reads); `?range=3h` or `?from=&to=` (ISO 8601; see ./range.ts).
 * Invariants: loaders never throw for URL text; each bad param gives its default plus a problem in words, which
 * the page or control shows next to that param's control. `now` is always passed in (one clock).
 */
import { resolveRange, type RangeSpec } from "@/lib/core/time/range";
import type { EpochMs } from "@/lib/core/units";
import { asQuery, param, searchOf, type UrlInput } from "./params";
import { loadRange, RANGE_KEYS, rangeToParams } from "./range";

export { decodeSegment, first, type SearchParams, type UrlInput } from "./params";
export { DEFAULT_RANGE, loadRange, rangeToParams, serializeRange } from "./range";

export interface LoadedRegions {
  /** The URL's regions restricted to the configured ones, in configured order; none valid → all configured. */
  regions: string[];
  problem: string | null;
}

export function loadRegions(params: UrlInput, configured: readonly string[]): LoadedRegions {
  const raw = param(params, "regions");
  const asked = (raw ?? "")
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  const chosen = configured.filter((r) => asked.includes(r));
  const regions = chosen.length > 0 ? chosen : [...configured];
  const unknown = asked.filter((r) => !configured.includes(r));
  const problem =
    raw === undefined || unknown.length === 0
      ? null
      : `Not a configured region: ${unknown.map((r) => r.slice(0, 40)).join(", ")} ` +
        `(FLEETSCOPE_REGIONS is ${configured.join(", ")}). Showing ${regions.join(", ")}.`;
  return { regions, problem };
}

/** An account the console reads, as the shell's account filter knows it (accountTargets()). */
export interface KnownAccount {
  id: string;
  /** Its Organizations name, when known. */
  name: string | null;
}

export interface LoadedAccounts {
  /** The URL's account ids restricted to the known ones, in known order; none valid → every known account. */
  accounts: string[];
  problem: string | null;
}

/** `?accounts=` like `?regions=`: an id the console does not read is said, never silently read as another. */
export function loadAccounts(params: UrlInput, known: readonly KnownAccount[]): LoadedAccounts {
  const raw = param(params, "accounts");
  const asked = (raw ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  const ids = known.map((a) => a.id);
  const chosen = ids.filter((id) => asked.includes(id));
  const accounts = chosen.length > 0 ? chosen : ids;
  const unknown = asked.filter((a) => !ids.includes(a));
  const problem =
    raw === undefined || unknown.length === 0
      ? null
      : `Not an account Fleetscope reads: ${unknown.map((a) => a.slice(0, 40)).join(", ")} ` +
        `(see the Accounts page). Showing ${accounts.length === ids.length ? "every account" : accounts.join(", ")}.`;
  return { accounts, problem };
}

/** The `accounts` param for a selection: null (no param) when every known account is selected. */
export function accountsParam(selected: readonly string[], known: readonly KnownAccount[]): string | null {
  const ordered = known.map((a) => a.id).filter((id) => selected.includes(id));
  return ordered.length === known.length ? null : ordered.join(",");
}

/** Whether views show an Account column and the account filter: only when more than one account is read. */
export const showsAccounts = (known: readonly unknown[]): boolean => known.length > 1;

export interface ShellState {
  regions: string[];
  /** The selected accounts' ids ([] when the caller passed no known accounts). */
  accounts: string[];
  range: RangeSpec;
  problems: { regions: string | null; accounts: string | null; range: string | null };
}

/** Regions, accounts (of `known`, the accounts the console reads) and range of a request, each with its problem. */
export function loadShell(
  params: UrlInput,
  configured: readonly string[],
  now: EpochMs,
  known: readonly KnownAccount[] = [],
): ShellState {
  const r = loadRegions(params, configured);
  const a = loadAccounts(params, known);
  const t = loadRange(params, now);
  return {
    regions: r.regions,
    accounts: a.accounts,
    range: t.range,
    problems: { regions: r.problem, accounts: a.problem, range: t.problem },
  };
}

/** Every (account, region) pair of a selection, account-major: what fleet-wide pages read. */
export function selectedScopes<A extends string>(
  accounts: readonly A[],
  regions: readonly string[],
): { account: A; region: string }[] {
  return accounts.flatMap((account) => regions.map((region) => ({ account, region })));
}

/**
 * The window [from, to) in epoch ms of a range at `now`, for readers that take a window rather than a bucket
 * (X-Ray, Logs). Never throws for a range loadRange returned at the same `now` (it is already valid).
 */
export function rangeWindow(spec: RangeSpec, now: EpochMs): { from: number; to: number } {
  const w = resolveRange(spec, now);
  return { from: w.start, to: w.end };
}

/** Query-string params that carry the shell state from page to page (links keep accounts, regions and range). */
export const SHELL_KEYS = ["accounts", "regions", ...RANGE_KEYS] as const;

/** `?accounts=…&regions=…&range=…` (only the shell's params of `current`), or "" when there are none. */
export function shellQuery(current: UrlInput): string {
  const out = new URLSearchParams();
  for (const key of SHELL_KEYS) {
    const v = param(current, key);
    if (v) out.set(key, v);
  }
  return asQuery(out);
}

/**
 * The query string `search` (with or without "?") with its range replaced by `spec` (`range=` for a preset,
 * `from=&to=` ISO for custom), every other param kept; returns "?…".
 */
export function withRange(search: string, spec: RangeSpec): string {
  const next = searchOf(search);
  for (const key of RANGE_KEYS) next.delete(key);
  for (const [key, value] of Object.entries(rangeToParams(spec))) next.set(key, value);
  return `?${next.toString()}`;
}
