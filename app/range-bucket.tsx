import type { ReactElement } from "react";
import { PageMessage } from "@/components/ui/notice";
import { isFleetscopeError } from "@/lib/core/errors";
import { bucketForRange, type RangeBucket } from "@/lib/core/time/bucket";
import type { RangeSpec } from "@/lib/core/time/range";
import type { EpochMs } from "@/lib/core/units";

/**
 * The page's range (already validated by lib/url) as the bucket a range page reads, at the request's `now`, or the
 * page that says why it cannot be shown (a range too short to hold one whole period: the user's input, a clear
 * 400 message, not an error page).
 */
export function rangeBucket(
  range: RangeSpec,
  now: EpochMs,
): { ok: true; bucket: RangeBucket } | { ok: false; page: ReactElement } {
  try {
    return { ok: true, bucket: bucketForRange(range, now) };
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
