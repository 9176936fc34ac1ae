import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { systemClock } from "@/lib/config/clock";
import { collectorStatus } from "@/lib/data/collector/status";
import { CollectorStatusBody } from "./collector-status";
import { TraceDestinations } from "./trace-destinations";

export const metadata: Metadata = { title: "Collector status" };

// Outside the component: read the injected clock once per request, not during render.
const requestTime = () => systemClock.now();

/** The collector's status: what is collected, the backfill's progress, what it cost AWS, and its errors. */
export default async function StatusPage() {
  await connection();
  return (
    <div className="space-y-3">
      <CollectorStatusBody s={collectorStatus()} />
      {/* A live X-Ray call (cached 10 min): streamed, so a slow region never holds up the collector's status. */}
      <Suspense
        fallback={<p className="text-sm text-zinc-500">Asking X-Ray where each region&apos;s traces go…</p>}
      >
        <TraceDestinations now={requestTime()} />
      </Suspense>
    </div>
  );
}
