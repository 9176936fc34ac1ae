/**
 * Which pages the global time range affects, so the header shows its picker only there. Every other page keeps
 * the range in its links (nav carries it) but offers no control that would change nothing on it.
 */

interface RangePage {
  /** Whether a pathname is this page. */
  match: (pathname: string) => boolean;
  /** Why the range matters here (one line, for the reader of this list). */
  why: string;
}

export const RANGE_PAGES: readonly RangePage[] = [
  { match: (p) => p === "/", why: "fleet overview: every panel and total reads the range's bucket" },
  {
    match: (p) => /^\/functions\/[^/]+\/[^/]+/.test(p),
    why: "function detail: its charts, invocations and sources read the range",
  },
  { match: (p) => p === "/errors", why: "errors: grouped over the range" },
  { match: (p) => p === "/traces", why: "trace list: X-Ray summaries within the range" },
  {
    match: (p) => p.startsWith("/requests/"),
    why: "request lookup: searches the range unless `at` narrows it",
  },
  { match: (p) => p === "/map", why: "service map: the X-Ray graph of the range" },
  { match: (p) => p === "/sources", why: "event sources: their metrics over the range" },
  // Not listed: /functions (the inventory list has no time), /traces/<id> (one trace has its own time),
  // /traffic (alias weights now), /advisor (its own `days` look-back), /status (collector state now), /login.
];

export const showsRangePicker = (pathname: string): boolean => RANGE_PAGES.some((p) => p.match(pathname));
