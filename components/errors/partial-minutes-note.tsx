/**
 * Says which minutes' error groups were read only in part (a second of one log group held more error lines
 * than Logs Insights returns): their counts are lower bounds. Renders nothing when every minute was read whole.
 */
import { formatDateTime as utcMinute } from "@/lib/core/format";
import type { RegionWindows } from "@/lib/data/errors";

const LISTED = 5;

export function PartialMinutesNote({ windows }: { windows: readonly RegionWindows[] }) {
  const several = new Set(windows.map((w) => w.account)).size > 1;
  const partial = windows.flatMap((w) =>
    w.partialMinutes.map((t) => ({ where: several ? `${w.account}/${w.region}` : w.region, t })),
  );
  if (partial.length === 0) return null;
  const listed = partial
    .slice(0, LISTED)
    .map((p) => `${p.where} ${utcMinute(p.t)}`)
    .join(", ");
  return (
    <p
      className="text-xs text-amber-800 dark:text-amber-300"
      data-testid="errors-partial"
      data-count={partial.length}
    >
      {partial.length} {partial.length === 1 ? "minute was" : "minutes were"} partly read ({listed}
      {partial.length > LISTED ? ", …" : ""}): one second of a log group held more error lines than Logs
      Insights returns, so counts there are lower bounds.
    </p>
  );
}
