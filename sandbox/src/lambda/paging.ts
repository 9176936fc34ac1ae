/**
 * Marker/MaxItems pagination as Lambda does it: MaxItems in [1, 10000] (validated like AWS's request
 * validation), pages capped at 50 items, an opaque NextMarker while more items remain.
 */
import { invalidParameter, validation } from "./errors";

const PAGE_CAP = 50;
const PREFIX = "fsm1:";

export const encodeMarker = (offset: number) => Buffer.from(`${PREFIX}${offset}`).toString("base64url");

export function decodeMarker(marker: string | null): number {
  if (marker === null || marker === "") return 0;
  const text = Buffer.from(marker, "base64url").toString("utf8");
  const offset = text.startsWith(PREFIX) ? Number(text.slice(PREFIX.length)) : NaN;
  if (!Number.isInteger(offset) || offset < 0) throw invalidParameter(`Invalid marker: ${marker}`);
  return offset;
}

export function parseMaxItems(raw: string | null, max = 10_000): number {
  if (raw === null || raw === "") return PAGE_CAP;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw validation(raw, "maxItems", "Member must be an integer");
  if (n < 1) throw validation(raw, "maxItems", "Member must have value greater than or equal to 1");
  if (n > max) throw validation(raw, "maxItems", `Member must have value less than or equal to ${max}`);
  return Math.min(n, PAGE_CAP);
}

export interface Page<T> {
  items: T[];
  nextMarker: string | null;
}

/** One page of `all` from the query's Marker and MaxItems. */
export function paginate<T>(all: readonly T[], query: URLSearchParams, max = 10_000): Page<T> {
  const size = parseMaxItems(query.get("MaxItems"), max);
  const offset = decodeMarker(query.get("Marker"));
  if (offset > all.length) throw invalidParameter(`Invalid marker: ${query.get("Marker") ?? ""}`);
  const items = all.slice(offset, offset + size);
  const next = offset + items.length;
  return { items, nextMarker: next < all.length ? encodeMarker(next) : null };
}
