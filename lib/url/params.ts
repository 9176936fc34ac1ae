/**
 * The raw shapes URL state arrives in and the one way to read a value from them. Every lib/url module loads its
 * route's params through these, so Next's `searchParams` record and a client's URLSearchParams read alike.
 *
 * Why not nuqs's loaders: a loader here must say, per bad param, what was wrong in words next to its control;
 * nuqs's `createLoader` turns a bad value into null or the default silently (or throws in strict mode), and the
 * range spans three keys (`range` or `from`+`to`). Each route module has the same shape instead:
 * `load<Route>(params, …) → { …typed values, problems }` and `<route>Href(…)` writers.
 */

/** The shape Next.js gives a page's `searchParams`. */
export type SearchParams = Readonly<Record<string, string | string[] | undefined>>;
/** Either shape: a page's record or a client component's URLSearchParams. */
export type UrlInput = SearchParams | URLSearchParams;

/** What was wrong with each bad param (key: the URL key), in words for the user, next to that param's control. */
export type UrlProblems<K extends string = string> = Partial<Record<K, string>>;

export const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** Every value of `key`, whichever shape the params come in. */
export function allValues(params: UrlInput, key: string): string[] {
  if (params instanceof URLSearchParams) return params.getAll(key);
  const v = params[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The first value of `key` in either shape. */
export const param = (params: UrlInput, key: string): string | undefined => allValues(params, key)[0];

/** The params as URLSearchParams (first value of each key), e.g. for a client-side model that reads them. */
export function toUrlSearchParams(params: UrlInput): URLSearchParams {
  if (params instanceof URLSearchParams) return new URLSearchParams(params);
  const out = new URLSearchParams();
  for (const key of Object.keys(params)) {
    const v = param(params, key);
    if (v !== undefined) out.set(key, v);
  }
  return out;
}

/** A query string with or without its "?", as URLSearchParams. */
export const searchOf = (search: string): URLSearchParams =>
  new URLSearchParams(search.startsWith("?") ? search.slice(1) : search);

/** "?a=b" or "" for empty params. */
export function asQuery(params: URLSearchParams): string {
  const s = params.toString();
  return s ? `?${s}` : "";
}

/** A dynamic route segment as text; a malformed %-escape is kept as typed rather than failing the page. */
export const decodeSegment = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};
