import { it } from "vitest";
import { DEFAULT_THRESHOLDS } from "@/lib/core/advisor";
import { advisorWindow, getFleetAdvice } from "@/lib/data/advisor";
import { startTestSandbox, TEST_NOW } from "@/test/support/sandbox";
import { sandboxPorts } from "./advisor-ports";

it("explore", async () => {
  const sb = await startTestSandbox({ functionsPerRegion: Number(process.env.FNS ?? 40) });
  const t0 = Date.now();
  const r = await getFleetAdvice(["us-east-1", "eu-west-1"], advisorWindow(TEST_NOW, Number(process.env.DAYS ?? 1)), {
    ports: sandboxPorts(sb.url),
    thresholds: () => DEFAULT_THRESHOLDS,
    cache: null,
    collect: { insightsDeadlineMs: 280_000 },
  });
  console.log("ms", Date.now() - t0, JSON.stringify(r.regions));
  for (const f of r.flags) console.log(f.severity, f.region, f.functionName, f.qualifier ?? "", f.ruleId, "|", f.title, "|", f.confidence.level, f.monthlyImpact.kind, f.monthlyImpact.amount);
  await sb.close();
}, 300_000);
