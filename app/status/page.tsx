import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { Notice } from "@/components/ui/notice";
import { systemClock } from "@/lib/config/clock";
import { isFleetscopeError } from "@/lib/core/errors";
import { collectorStatus, type CollectorStatusView } from "@/lib/data/collector/status";
import { CollectorStatusBody } from "./collector-status";
import { TraceDestinations } from "./trace-destinations";

export const metadata: Metadata = { title: "Collector status" };

// Outside the component: read the injected clock once per request, not during render.
const requestTime = () => systemClock.now();

/** The collector's status, or why the store could not say (PostgreSQL unreachable): the page still renders. */
async function readStatus(): Promise<{ ok: true; view: CollectorStatusView } | { ok: false; error: string }> {
  try {
    return { ok: true, view: await collectorStatus() };
  } catch (e) {
    if (isFleetscopeError(e) && e.code === "Unavailable") return { ok: false, error: e.message };
    throw e;
  }
}

/** The collector's status: what is collected, the backfill's progress, what it cost AWS, and its errors. */
export default async function StatusPage() {
  await connection();
  const status = await readStatus();
  return (
    <div className="space-y-3">
      {status.ok ? (
        <CollectorStatusBody s={status.view} />
      ) : (
        <Notice tone="error" title="The collector's status is unavailable: the store did not answer">
          <p className="break-words font-mono text-xs" data-testid="collector-status-unavailable">
            {status.error}
          </p>
        </Notice>
      )}
      {/* A live X-Ray call (cached 10 min): streamed, so a slow region never holds up the collector's status. */}
      <Suspense
        fallback={<p className="text-sm text-zinc-500">Asking X-Ray where each region&apos;s traces go…</p>}
      >
        <TraceDestinations now={requestTime()} />
      </Suspense>
    </div>
  );
}
