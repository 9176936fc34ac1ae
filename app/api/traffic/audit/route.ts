/** GET ?format=json|csv&account=&region=&function=&alias=&plan=: the audit log, exportable. */
import { NextResponse } from "next/server";
import { auditToCsv } from "@/lib/core/traffic/audit";
import { trafficAccount } from "@/lib/data/traffic/accounts";
import { defaultTrafficDeps } from "@/lib/data/traffic/default-deps";
import { errorResponse } from "../../respond";

export async function GET(request: Request) {
  const q = new URL(request.url).searchParams;
  try {
    const deps = await defaultTrafficDeps();
    const account = q.get("account");
    const entries = await deps.store.audit.list({
      // A filter on an account: checked like any other account param (InvalidInput for a malformed id).
      account: account ? trafficAccount(deps, account).id : undefined,
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
  } catch (e) {
    // The store cannot be reached: a coded error (503 Unavailable), not a crash.
    return errorResponse(e);
  }
}
