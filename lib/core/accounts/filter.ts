/**
 * Which accounts the console reads: include/exclude lists of 12-digit account ids (matched exactly) or account
 * name globs (`*` matches any run of characters, including none; case-sensitive; the whole name must match).
 * An empty include list means every account; exclude wins over include. An account without a name (a role
 * given by ARN, not discovered) can only be matched by its id.
 */
import { invalidInput } from "@/lib/core/errors";
import { isAccountId } from "./account-id";

export interface AccountFilter {
  include: string[];
  exclude: string[];
}

export const EVERY_ACCOUNT: AccountFilter = { include: [], exclude: [] };

/** Organizations account names are 1–50 printable ASCII characters; a glob adds `*`, so it may be longer. */
const PRINTABLE = /^[\x20-\x7e]+$/;

/** Checks one filter entry; throws InvalidInput naming it when it can match nothing it was meant to. */
export function parseFilterEntry(raw: string): string {
  const entry = raw.trim();
  if (entry === "") throw invalidInput("an account filter entry is empty", { value: raw });
  if (/^\d+$/.test(entry) && !isAccountId(entry))
    throw invalidInput(`"${entry}" looks like an account id but is not 12 digits`, { value: raw });
  if (!PRINTABLE.test(entry))
    throw invalidInput(
      `"${entry}" is neither a 12-digit account id nor an account name glob (printable ASCII)`,
      {
        value: raw,
      },
    );
  return entry;
}

/** `*` matches any run of characters; everything else matches itself. Linear-time, no regular expression. */
export function globMatches(glob: string, name: string): boolean {
  let g = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    if (g < glob.length && glob[g] === "*") {
      star = g++;
      resume = n;
    } else if (g < glob.length && glob[g] === name[n]) {
      g++;
      n++;
    } else if (star >= 0) {
      g = star + 1;
      n = ++resume;
    } else return false;
  }
  while (g < glob.length && glob[g] === "*") g++;
  return g === glob.length;
}

const entryMatches = (entry: string, account: { id: string; name: string | null }): boolean =>
  isAccountId(entry) ? entry === account.id : account.name !== null && globMatches(entry, account.name);

export function accountSelected(
  account: { id: string; name: string | null },
  filter: AccountFilter,
): boolean {
  if (filter.exclude.some((e) => entryMatches(e, account))) return false;
  return filter.include.length === 0 || filter.include.some((e) => entryMatches(e, account));
}
