/**
 * Hands a failed lookup's message from the request and trace pages to their not-found.tsx, which receives no
 * props. The pages call notFound() so the answer is a real 404 (they render before anything streams), and
 * not-found.tsx still says what was wrong or where the lookup looked. React's `cache` is per server render,
 * and the segment's not-found UI is rendered in the same render as its page.
 */
import "server-only";
import { cache } from "react";
import type { LookupOutcome } from "./lookup-view";

export type LookupFailure = Extract<LookupOutcome, { ok: false }>;

const slot = cache(() => {
  let settle: (f: LookupFailure | null) => void = () => {};
  const failure = new Promise<LookupFailure | null>((resolve) => (settle = resolve));
  return { failure, settle };
});

/** The page's verdict: a failure to explain, or null. Settles once; a later call changes nothing. */
export const reportLookup = (failure: LookupFailure | null): void => slot().settle(failure);

/** For not-found.tsx: the page's failure, once the page has looked. */
export const lookupFailure = (): Promise<LookupFailure | null> => slot().failure;
