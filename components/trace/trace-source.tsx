import type { RequestView } from "@/lib/data/traces/request-view";

/**
 * Where the request page's trace came from (X-Ray's index or Transaction Search's spans) and where the region
 * sends its traces. Two `dl` entries for the request header; a failed destination look-up says so, never guesses.
 */
export function TraceSourceFacts({ view }: { view: RequestView }) {
  const trace = view.trace.ok ? view.trace.value : null;
  const d = view.destination;
  return (
    <>
      {trace ? (
        <div>
          <dt className="inline text-zinc-500">Trace from </dt>
          <dd className="inline" data-testid="trace-source">
            {trace.source === "transaction-search"
              ? "Transaction Search (OpenTelemetry spans retrieved from aws/spans)"
              : "X-Ray"}
          </dd>
        </div>
      ) : null}
      {d ? (
        <div>
          <dt className="inline text-zinc-500">Traces in {view.region} go to </dt>
          <dd className="inline" data-testid="trace-destination">
            {d.ok ? d.value.label : `unknown (${d.error.message})`}
          </dd>
        </div>
      ) : null}
    </>
  );
}
