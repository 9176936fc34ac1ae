/**
 * Loading of the request and trace pages: a lookup either yields the request view or an expected failure the
 * page explains (a malformed id, or nothing found in the window); any other error propagates to error.tsx.
 */
import { isFleetscopeError } from "@/lib/core/errors";
import type { RequestView } from "@/lib/data/traces/request-view";

export type LookupOutcome =
  { ok: true; view: RequestView } | { ok: false; code: "InvalidInput" | "NotFound"; message: string };

export async function lookupView(find: () => Promise<RequestView>): Promise<LookupOutcome> {
  try {
    return { ok: true, view: await find() };
  } catch (e) {
    if (isFleetscopeError(e) && (e.code === "InvalidInput" || e.code === "NotFound")) {
      return { ok: false, code: e.code, message: e.message };
    }
    throw e;
  }
}
