import type { ErrorCode } from "@/lib/core/errors";
import { Notice } from "./notice";

/** Regions that failed to load, each with its coded reason; the rest of the page still renders. */
export function RegionErrors({
  failures,
}: {
  failures: { region: string; error: { code: ErrorCode; message: string } }[];
}) {
  if (failures.length === 0) return null;
  return (
    <div className="space-y-2">
      {failures.map((f) => (
        <Notice key={f.region} tone="warn" title={`${f.region}: could not load functions (${f.error.code})`}>
          <p className="break-words font-mono text-xs">{f.error.message}</p>
        </Notice>
      ))}
    </div>
  );
}
