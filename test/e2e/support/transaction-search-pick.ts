/**
 * Finds, through the SDK, a sampled eu-west-1 request whose trace X-Ray did not index (Transaction Search keeps
 * it only in `aws/spans`), whose root span recorded an exception and which made downstream calls: Logs Insights
 * queries over `aws/spans` (failed SERVER spans; traces with CLIENT spans), then BatchGetTraces to keep one X-Ray
 * does not have, then one more query for that trace's spans. Everything expected is read from
 * the span documents themselves, never hard-coded.
 */
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { BatchGetTracesCommand, XRayClient } from "@aws-sdk/client-xray";

export interface PickedUnindexedFailure {
  traceId: string;
  requestId: string;
  fn: string;
  /** The root span's end, epoch ms (≈ the REPORT time). */
  at: number;
  exceptionType: string;
  exceptionMessage: string;
  /** Every span of the trace in aws/spans: its name and kind. */
  spans: { name: string; kind: string }[];
}

interface SpanDoc {
  traceId?: string;
  kind?: string;
  parentSpanId?: string;
  endTimeUnixNano?: number | string;
  attributes?: Record<string, unknown>;
  resource?: { attributes?: Record<string, unknown> };
  events?: { name?: string; attributes?: Record<string, unknown> }[];
}

const xrayId = (otel: string) => `1-${otel.slice(0, 8)}-${otel.slice(8)}`;

export async function pickUnindexedFailure(
  endpoint: string,
  now: number,
): Promise<PickedUnindexedFailure | undefined> {
  const config = {
    region: "eu-west-1",
    endpoint,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  };
  const logs = new CloudWatchLogsClient(config);
  const xray = new XRayClient(config);
  // Settled minutes only: the last few may still be arriving.
  const from = now - 65 * 60_000;
  const to = now - 5 * 60_000;
  const query = async (queryString: string) => {
    const { queryId } = await logs.send(
      new StartQueryCommand({
        logGroupName: "aws/spans",
        startTime: Math.floor(from / 1000),
        endTime: Math.floor(to / 1000),
        queryString,
      }),
    );
    for (let i = 0; i < 240; i++) {
      const r = await logs.send(new GetQueryResultsCommand({ queryId }));
      if (r.status === "Complete") return r.results ?? [];
      if (r.status !== "Running" && r.status !== "Scheduled") break;
      await new Promise((done) => setTimeout(done, 250));
    }
    return [];
  };
  try {
    const rows = await query(
      'fields @timestamp, @message | filter status.code = "ERROR" and kind = "SERVER" | sort @timestamp desc | limit 200',
    );
    // Traces with downstream calls (CLIENT spans), so the waterfall has more than its root to show.
    const calls = await query('filter kind = "CLIENT" | stats count(*) as calls by traceId | limit 10000');
    const withCalls = new Set(calls.map((row) => row.find((f) => f.field === "traceId")?.value));
    const candidates: Omit<PickedUnindexedFailure, "spans">[] = [];
    for (const row of rows) {
      const message = row.find((f) => f.field === "@message")?.value;
      if (!message) continue;
      const doc = JSON.parse(message) as SpanDoc;
      const exception = doc.events?.find((e) => e.name === "exception")?.attributes;
      const requestId = doc.attributes?.["faas.invocation_id"];
      const fn = doc.resource?.attributes?.["faas.name"];
      if (doc.parentSpanId || !doc.traceId || !exception || typeof requestId !== "string") continue;
      if (typeof fn !== "string" || !withCalls.has(doc.traceId)) continue;
      candidates.push({
        traceId: xrayId(doc.traceId),
        requestId,
        fn,
        at: Math.round(Number(doc.endTimeUnixNano) / 1e6),
        exceptionType: String(exception["exception.type"]),
        exceptionMessage: String(exception["exception.message"]),
      });
    }
    for (let i = 0; i < candidates.length; i += 5) {
      const batch = candidates.slice(i, i + 5);
      const r = await xray.send(new BatchGetTracesCommand({ TraceIds: batch.map((c) => c.traceId) }));
      const indexed = new Set((r.Traces ?? []).map((t) => t.Id));
      const hit = batch.find((c) => !indexed.has(c.traceId));
      if (!hit) continue;
      const spans = await query(
        `fields @message | filter traceId = "${hit.traceId.slice(2).replace("-", "")}" | limit 100`,
      );
      return {
        ...hit,
        spans: spans.flatMap((row) => {
          const m = row.find((f) => f.field === "@message")?.value;
          const d = m ? (JSON.parse(m) as { name?: unknown; kind?: unknown }) : {};
          return typeof d.name === "string" && typeof d.kind === "string"
            ? [{ name: d.name, kind: d.kind }]
            : [];
        }),
      };
    }
    return undefined;
  } finally {
    logs.destroy();
    xray.destroy();
  }
}
