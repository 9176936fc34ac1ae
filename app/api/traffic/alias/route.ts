/** GET ?region=&function=&alias=: one alias in detail (routing, versions, per-version metrics, plan, audit). */
import { NextResponse } from "next/server";
import { invalidInput } from "@/lib/core/errors";
import { getAliasDetail } from "@/lib/data/traffic/aliases";
import { defaultTrafficDeps } from "@/lib/data/traffic/default-deps";
import { errorResponse } from "../../respond";

export async function GET(request: Request) {
  try {
    const q = new URL(request.url).searchParams;
    const [region, fn, alias] = [q.get("region"), q.get("function"), q.get("alias")];
    if (!region || !fn || !alias) throw invalidInput("region, function and alias are required");
    return NextResponse.json(await getAliasDetail(await defaultTrafficDeps(), region, fn, alias));
  } catch (e) {
    return errorResponse(e);
  }
}
