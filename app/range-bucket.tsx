import type { ReactElement } from "react";
import { parseTimeRange, resolveTimeRange, type SearchParams } from "@/app/search-params";
import { PageMessage } from "@/components/ui/notice";
import { isFleetscopeError } from "@/lib/core/errors";
import type { RangeBucket } from "@/lib/core/time/bucket";
import { bucketNow } from "@/lib/data/telemetry/window";

/**
 * The header's time range as the bucket a range page reads, or the page that says why the range cannot be shown
 * (a malformed or impossible range is the user's input: a clear 400 message, not an error page).
 */
export function rangeBucket(
  sp: SearchParams,
): { ok: true; bucket: RangeBucket } | { ok: false; page: ReactElement } {
  try {
    return { ok: true, bucket: bucketNow((now) => resolveTimeRange(parseTimeRange(sp), now)) };
  } catch (e) {
    if (!isFleetscopeError(e) || e.code !== "InvalidInput") throw e;
    return {
      ok: false,
      page: (
        <PageMessage code="400 · Invalid range" title="This time range cannot be shown">
          <p>{e.message}</p>
        </PageMessage>
      ),
    };
  }
}
