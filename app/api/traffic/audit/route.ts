/** GET ?format=json|csv&region=&function=&alias=&plan=: the audit log, exportable. */
import { NextResponse } from "next/server";
import { auditToCsv } from "@/lib/core/traffic/audit";
import { defaultTrafficDeps } from "@/lib/data/traffic/default-deps";

export function GET(request: Request) {
  const q = new URL(request.url).searchParams;
  const entries = defaultTrafficDeps().store.audit.list({
    region: q.get("region") ?? undefined,
    functionName: q.get("function") ?? undefined,
    alias: q.get("alias") ?? undefined,
    planId: q.get("plan") ?? undefined,
    limit: Number(q.get("limit") ?? 1000) || 1000,
  });
  if (q.get("format") === "csv") {
    return new NextResponse(auditToCsv(entries), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": 'attachment; filename="fleetscope-traffic-audit.csv"',
      },
    });
  }
  return NextResponse.json({ entries });
}
