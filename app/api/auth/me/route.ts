import { NextResponse } from "next/server";
import { currentPrincipal } from "@/lib/auth/server";
import { env } from "@/lib/config/env";

export async function GET() {
  return NextResponse.json({ principal: await currentPrincipal(), readOnly: env().readOnly });
}
