import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import {
  decodeSegment,
  parseTimeRange,
  resolveTimeRange,
  shellQuery,
  type SearchParams,
} from "@/app/search-params";
import { FunctionTelemetryView } from "@/components/fleet/function-telemetry";
import { FunctionFlags } from "@/components/advisor/function-flags";
import { FunctionDetailView } from "@/components/functions/function-detail";
import { PageMessage } from "@/components/ui/notice";
import { env } from "@/lib/config/env";
import { routedVersionsTimeout } from "@/lib/core/charts/timeout-line";
import { isFleetscopeError } from "@/lib/core/errors";
import { latestFunctionFlags } from "@/lib/data/advisor";
import { loadMeasuredLimits } from "@/lib/data/function-limits";
import { getFunctionDetail } from "@/lib/data/functions";
import { createMeter } from "@/lib/data/traces/meter";
import { startFunctionTelemetry } from "@/lib/data/telemetry/function";
import { costConfigOf } from "@/lib/data/telemetry/function-cost";
import { bucketNow } from "@/lib/data/telemetry/window";
import { parseConfiguredRegion, parseFunctionName } from "@/lib/data/validate";

interface Props {
  params: Promise<{ region: string; name: string }>;
  searchParams: Promise<SearchParams>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: decodeSegment(name) };
}

export default async function FunctionPage({ params, searchParams }: Props) {
  const { region: rawRegion, name: rawName } = await params;
  const region = decodeSegment(rawRegion);
  const name = decodeSegment(rawName);
  const sp = await searchParams;
  const back = `/functions${shellQuery(sp)}`;

  // Validate before any AWS call, and say exactly which part of the address is wrong.
  const problems: string[] = [];
  for (const check of [() => parseConfiguredRegion(region, env().regions), () => parseFunctionName(name)]) {
    try {
      check();
    } catch (e) {
      if (isFleetscopeError(e) && e.code === "InvalidInput") problems.push(e.message);
      else throw e;
    }
  }
  if (problems.length > 0) {
    return (
      <PageMessage code="400 · Invalid address" title="This function address is malformed">
        <ul className="list-disc space-y-1 pl-5">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
        <p>
          Function pages live at{" "}
          <code className="font-mono">/functions/&lt;region&gt;/&lt;function-name&gt;</code>.{" "}
          <Link href={back} className="text-sky-700 underline dark:text-sky-400">
            Back to functions
          </Link>
        </p>
      </PageMessage>
    );
  }

  // One meter for the whole view: its cost line counts the detail's and the telemetry's live requests.
  const meter = createMeter();
  // No loading.tsx above this page: an unknown function answers 404 because nothing has streamed yet.
  const detail = await getFunctionDetail(region, name, undefined, meter).catch((e: unknown) => {
    if (isFleetscopeError(e) && e.code === "NotFound") notFound();
    throw e;
  });
  // Telemetry: started before rendering so its sources load while the configuration renders.
  const telemetry = startFunctionTelemetry({
    region,
    name,
    config: detail.config,
    aliases: detail.aliases,
    bucket: bucketNow((now) => resolveTimeRange(parseTimeRange(sp), now)),
    meter,
    pricing: { config: costConfigOf(detail.config), provisioned: detail.provisioned },
  });
  const { config } = detail;
  return (
    <div className="space-y-4">
      <FunctionDetailView
        detail={detail}
        backHref={back}
        measuredLimits={loadMeasuredLimits(detail, telemetry)}
      />
      <FunctionFlags latest={latestFunctionFlags(region, name)} advisorHref={`/advisor${shellQuery(sp)}`} />
      <FunctionTelemetryView
        telemetry={telemetry}
        timeouts={{
          function: config.timeout,
          versions: routedVersionsTimeout(detail.aliases, detail.versions),
        }}
      />
    </div>
  );
}
