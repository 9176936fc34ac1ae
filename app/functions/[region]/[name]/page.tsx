import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FunctionTelemetryView } from "@/components/fleet/function-telemetry";
import { FunctionFlags } from "@/components/advisor/function-flags";
import { FunctionDetailView } from "@/components/functions/function-detail";
import { FunctionErrorsPanel } from "@/components/errors/function-errors-panel";
import { EdgeSection } from "@/components/functions/edge-panel";
import { SourceMappingMetrics } from "@/components/functions/source-metrics";
import { PageMessage } from "@/components/ui/notice";
import { systemClock } from "@/lib/config/clock";
import { env } from "@/lib/config/env";
import type { FunctionRef } from "@/lib/core/accounts/scope";
import { routedVersionsTimeout } from "@/lib/core/charts/timeout-line";
import { isFleetscopeError, type FleetscopeError, type Outcome } from "@/lib/core/errors";
import type { Seconds } from "@/lib/core/units";
import { latestFunctionFlags } from "@/lib/data/advisor";
import { accountFromParam } from "@/lib/data/account-scopes";
import { getErrorGroups } from "@/lib/data/errors";
import { loadMeasuredLimits } from "@/lib/data/function-limits";
import { getEdgeReplicas } from "@/lib/data/edge";
import { openFunctionDetail, type FunctionDetail, type FunctionHead } from "@/lib/data/functions";
import { createMeter } from "@/lib/data/traces/meter";
import { getFunctionTriggers } from "@/lib/data/triggers";
import { startFunctionTelemetry } from "@/lib/data/telemetry/function";
import { costConfigOf } from "@/lib/data/telemetry/function-cost";
import { parseConfiguredRegion, parseFunctionName } from "@/lib/data/validate";
import { bucketForRange } from "@/lib/core/time/bucket";
import { decodeSegment, first, loadRange, shellQuery, type SearchParams } from "@/lib/url/shell";
import { loadCompare } from "@/lib/url/compare";
import { loadFunctionMarkers } from "@/lib/data/telemetry/deploy-markers";
import { loadPreviousFunctionMetrics } from "@/lib/data/telemetry/previous-period";
import { checkFunctionAddress } from "./address";
import { functionAdvisorHref, functionErrorsHref, serviceMapHref } from "./links";

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
  const now = systemClock.now(); // the request's one instant
  const back = `/functions${shellQuery(sp)}`;
  const compare = loadCompare(sp);

  // Validate before any AWS call, and say exactly which part of the address is wrong (`?account=` included).
  const address = await checkFunctionAddress(
    [() => parseConfiguredRegion(region, env().regions), () => parseFunctionName(name)],
    () => accountFromParam(first(sp.account)),
  );
  if (address.kind === "unavailable") return <AccountsUnknown error={address.error} backHref={back} />;
  if (address.kind === "invalid") {
    return (
      <PageMessage code="400 · Invalid address" title="This function address is malformed">
        <ul className="list-disc space-y-1 pl-5">
          {address.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
        <p>
          Function pages live at{" "}
          <code className="font-mono">
            /functions/&lt;region&gt;/&lt;function-name&gt;?account=&lt;account-id&gt;
          </code>{" "}
          (without <code className="font-mono">account</code>: the default account).{" "}
          <Link href={back} className="text-sky-700 underline dark:text-sky-400">
            Back to functions
          </Link>
        </p>
      </PageMessage>
    );
  }

  const { target } = address;
  // One meter for the whole view: its cost line counts the detail's and the telemetry's live requests.
  const meter = createMeter();
  const fn: FunctionRef = { account: target.id, region, name };
  const shell = shellQuery(sp);
  // Only the existence step before anything streams (no loading.tsx above this page): an unknown function
  // answers 404 because nothing has been sent yet. A stored function costs this step no AWS request.
  let head: FunctionHead;
  try {
    head = await openFunctionDetail(target, region, name, undefined, meter);
  } catch (e) {
    if (isFleetscopeError(e) && e.code === "NotFound") notFound();
    if (isFleetscopeError(e)) return <AwsUnreachable error={e} backHref={back} />;
    throw e;
  }
  // Triggers: the collector's stored reading when fresh, else live (GetPolicy and three more, cached per function).
  const triggers = getFunctionTriggers({ account: target, region, name }, undefined, meter);
  // Telemetry: started before rendering so its sources load while the configuration renders.
  const telemetry = startFunctionTelemetry({
    account: target,
    region,
    name,
    config: head.config,
    aliases: head.aliases,
    bucket: bucketForRange(loadRange(sp, now).range, now),
    meter,
    pricing: { config: costConfigOf(head.config), provisioned: head.provisioned },
    mappings: triggers.then((t) => t.mappings),
  });
  // Lambda@Edge replicas (only for an Edge function): one read per Edge region, on the same meter.
  const edge = getEdgeReplicas({
    account: target,
    region,
    name,
    config: head.config,
    triggers,
    range: { from: telemetry.bucket.start, to: telemetry.bucket.end },
    meter,
  });
  // The detail's, the triggers' and the replicas' live reads share the meter: the cost line waits for them too.
  const cost = Promise.all([
    telemetry.cost,
    head.detail,
    triggers.catch(() => null),
    edge.catch(() => null),
  ]).then(() => meter.cost());
  return (
    <div className="space-y-4">
      <FunctionDetailView
        head={head}
        // The header names the account (id, and its Organizations name when known).
        accountName={target.name}
        backHref={back}
        measuredLimits={head.detail.then((detail) => loadMeasuredLimits(detail, telemetry))}
        triggers={triggers}
        mapHref={serviceMapHref(fn, shell)}
        errors={
          <FunctionErrorsPanel
            // Store reads only (no AWS request); deferred so the panel streams behind its own boundary.
            data={Promise.resolve().then(() =>
              getErrorGroups({ scopes: [{ account: target.id, region }], fn: name, range: telemetry.bucket }),
            )}
            viewHref={functionErrorsHref(fn, shell)}
            linkQuery={shell}
          />
        }
      />
      <SourceMappingMetrics data={telemetry.mappingCounts} bucket={telemetry.bucket} />
      <EdgeSection data={edge} />
      <FunctionFlags latest={latestFunctionFlags(fn)} advisorHref={functionAdvisorHref(fn, shell)} />
      <FunctionTelemetryView
        telemetry={{ ...telemetry, cost }}
        timeouts={{ function: head.config.timeout, versions: head.detail.then(versionsTimeout) }}
        target={{ account: target.id, region, fn: name }}
        // Store only (0 AWS requests): deployment markers, and the same range a day or week earlier.
        markers={loadFunctionMarkers({ account: target.id, region }, name, telemetry.bucket)}
        previous={
          compare.compare &&
          loadPreviousFunctionMetrics(
            { account: target.id, region },
            { name, logGroup: head.config.logGroup },
            telemetry.bucket,
            compare.compare,
          )
        }
        compare={{
          path: `/functions/${encodeURIComponent(region)}/${encodeURIComponent(name)}`,
          value: compare.compare,
          problem: compare.problem,
        }}
      />
    </div>
  );
}

/** The per-version charts' timeout line, or why the versions (and so their timeouts) are unknown. */
const versionsTimeout = (detail: FunctionDetail): Outcome<Seconds | null> =>
  detail.versionsError
    ? { ok: false, error: detail.versionsError }
    : { ok: true, value: routedVersionsTimeout(detail.aliases, detail.versions) };

/**
 * A function the collector has not listed, and AWS did not answer for it (timeout, network, throttling):
 * there is nothing to show, and the reason is not that it does not exist.
 */
function AwsUnreachable({ error, backHref }: { error: FleetscopeError; backHref: string }) {
  return (
    <PageMessage code={`AWS unavailable · ${error.code}`} title="This function could not be read from AWS">
      <p>{error.message}</p>
      <p>
        Nothing is stored for this function yet: the collector has not listed it, so this page needs AWS to
        answer. Try again in a moment.{" "}
        <Link href={backHref} className="text-sky-700 underline dark:text-sky-400">
          Back to functions
        </Link>
      </p>
    </PageMessage>
  );
}

/** Which accounts the console reads could not be learned (STS or Organizations did not answer). */
function AccountsUnknown({ error, backHref }: { error: FleetscopeError; backHref: string }) {
  return (
    <PageMessage
      code={`AWS unavailable · ${error.code}`}
      title="The accounts Fleetscope reads could not be determined"
    >
      <p>{error.message}</p>
      <p>
        The function&apos;s account cannot be checked until they are (see the{" "}
        <Link href="/accounts" className="text-sky-700 underline dark:text-sky-400">
          Accounts page
        </Link>
        ). Try again in a moment.{" "}
        <Link href={backHref} className="text-sky-700 underline dark:text-sky-400">
          Back to functions
        </Link>
      </p>
    </PageMessage>
  );
}
