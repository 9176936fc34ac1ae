/** GET ?account=&region=&function=&alias=: one alias in detail (account absent: the default one) (routing, versions, per-version metrics, plan, audit). */
import { NextResponse } from "next/server";
import { invalidInput } from "@/lib/core/errors";
import { getAliasDetail } from "@/lib/data/traffic/aliases";
import { trafficScope } from "@/lib/data/traffic/accounts";
import { defaultTrafficDeps } from "@/lib/data/traffic/default-deps";
import { errorResponse } from "../../respond";

export async function GET(request: Request) {
  try {
    const q = new URL(request.url).searchParams;
    const [region, fn, alias] = [q.get("region"), q.get("function"), q.get("alias")];
    if (!region || !fn || !alias) throw invalidInput("region, function and alias are required");
    const deps = await defaultTrafficDeps();
    const scope = trafficScope(deps, q.get("account"), region);
    return NextResponse.json(await getAliasDetail(deps, scope, fn, alias));
  } catch (e) {
    return errorResponse(e);
  }
}
