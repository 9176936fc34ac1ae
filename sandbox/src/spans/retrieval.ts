/**
 * X-Ray's Transaction Search operations: GetTraceSegmentDestination, GetIndexingRules, StartTraceRetrieval and
 * ListRetrievedTraces (restJson1, botocore's 'xray' model). A retrieval reads the traces from what the region's
 * `aws/spans` holds — every sampled trace, indexed by X-Ray or not.
 *
 * Invariants:
 * - StartTraceRetrieval takes 0–100 ids of 1–35 characters (the model's TraceIdListForRetrieval and TraceId) and
 *   an inclusive [StartTime, EndTime] (epoch seconds); it stores the request and returns an opaque token.
 * - The first ListRetrievedTraces of a retrieval answers RUNNING with no traces (AWS: "When the RetrievalStatus is
 *   not COMPLETE, the API will return an empty response"), every later one COMPLETE: clients must poll.
 * - A COMPLETE answer lists the requested ids that name a sampled trace of the region starting within the window,
 *   in request order, deduplicated, at most PAGE_SIZE per page (the model's TraceSpanList maximum of 5) with a
 *   NextToken bound to the retrieval and format. XRAY format: the segment documents BatchGetTraces returns;
 *   OTEL: the span documents of aws/spans.
 * - In a region whose destination is XRay nothing is in aws/spans: the retrieval completes empty (AWS documents no
 *   error for this case; we could not confirm what it answers).
 * - A token this sandbox never issued, or issued in another region → ResourceNotFoundException; a token that is
 *   not in our format → InvalidRequestException.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { SandboxContext } from "../http/types";
import { XRayRequestError } from "../xray/errors";
import { describeIssues } from "../xray/requests";
import { findSpansTrace, tracedFunctions } from "../xray/store";
import { traceOutput } from "../xray/trace";
import { renderSpans, serializeSpan } from "./otel";
import { destinationOf, hasTransactionSearch, INDEXED_PERCENT } from "./transaction-search";

/** StartTraceRetrieval's TraceIds: "Maximum number of 100 items" (TraceIdListForRetrieval). */
export const MAX_RETRIEVAL_IDS = 100;
/** ListRetrievedTraces' Traces: at most 5 per response (TraceSpanList). */
export const PAGE_SIZE = 5;
const MAX_KEPT = 1_000;
const TOKEN = /^[0-9a-f]{40}$/;

export class RetrievalNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RetrievalNotFoundError";
  }
}

interface Retrieval {
  region: string;
  traceIds: string[];
  startS: number;
  endS: number;
  polls: number;
}

const registries = new WeakMap<SandboxContext, Map<string, Retrieval>>();
function registry(ctx: SandboxContext): Map<string, Retrieval> {
  let r = registries.get(ctx);
  if (!r) registries.set(ctx, (r = new Map()));
  return r;
}

const timestamp = z.number().finite().nonnegative();
export const startTraceRetrievalRequest = z.object({
  TraceIds: z.array(z.string().min(1).max(35)).max(MAX_RETRIEVAL_IDS),
  StartTime: timestamp,
  EndTime: timestamp,
});
export const listRetrievedTracesRequest = z.object({
  RetrievalToken: z.string().max(1020),
  TraceFormat: z.enum(["XRAY", "OTEL"]).optional(),
  NextToken: z.string().optional(),
});

function parse<T>(schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new XRayRequestError(describeIssues(parsed.error, raw));
  return parsed.data;
}

export const getTraceSegmentDestination = (region: string) => ({
  Destination: destinationOf(region),
  Status: "ACTIVE",
});

/** The Default rule (AWS creates it with Transaction Search; the percentage is AWS's default). */
export function getIndexingRules(ctx: SandboxContext, region: string) {
  const fns = tracedFunctions(ctx, region);
  const since = fns.length > 0 ? Math.min(...fns.map((f) => f.createdMs)) : ctx.now();
  return {
    IndexingRules: [
      {
        Name: "Default",
        ModifiedAt: Math.floor(since / 1000),
        Rule: {
          Probabilistic: {
            DesiredSamplingPercentage: INDEXED_PERCENT,
            ActualSamplingPercentage: INDEXED_PERCENT,
          },
        },
      },
    ],
  };
}

export function startTraceRetrieval(ctx: SandboxContext, region: string, raw: unknown) {
  const body = parse(startTraceRetrievalRequest, raw);
  if (body.EndTime < body.StartTime) throw new XRayRequestError("EndTime must be after StartTime.");
  const reg = registry(ctx);
  const token = randomBytes(20).toString("hex");
  reg.set(token, {
    region,
    traceIds: [...new Set(body.TraceIds)],
    startS: Math.floor(body.StartTime),
    endS: body.EndTime,
    polls: 0,
  });
  // Forget the oldest retrievals (AWS times them out after 60 minutes).
  for (const old of reg.keys()) {
    if (reg.size <= MAX_KEPT) break;
    reg.delete(old);
  }
  return { RetrievalToken: token };
}

const pageToken = (token: string, format: string, offset: number) =>
  Buffer.from(JSON.stringify({ r: token, f: format, o: offset })).toString("base64url");

function pageOffset(next: string | undefined, token: string, format: string): number {
  if (next === undefined) return 0;
  try {
    const t = JSON.parse(Buffer.from(next, "base64url").toString("utf8")) as {
      r?: unknown;
      f?: unknown;
      o?: unknown;
    };
    if (t.r === token && t.f === format && typeof t.o === "number" && Number.isInteger(t.o) && t.o >= 0)
      return t.o;
  } catch {
    // fall through: any undecodable token is invalid
  }
  throw new XRayRequestError("Invalid NextToken.");
}

function retrievedTrace(ctx: SandboxContext, r: Retrieval, traceId: string, format: "XRAY" | "OTEL") {
  const hit = findSpansTrace(ctx, r.region, traceId);
  if (!hit) return null;
  const startS = Math.floor(hit.trace.facts.start);
  if (startS < r.startS || startS > r.endS) return null;
  if (format === "XRAY") {
    const out = traceOutput(hit.trace);
    return { Id: out.Id, Duration: out.Duration, Spans: out.Segments };
  }
  const spans = renderSpans(hit.inv, hit.fn, ctx.account.accountId);
  const root = spans[0]!;
  const lastEnd = spans.reduce(
    (m, s) => (s.endTimeUnixNano > m ? s.endTimeUnixNano : m),
    root.endTimeUnixNano,
  );
  return {
    Id: traceId,
    // Root start to the last span's end (RetrievedTrace.Duration), in seconds.
    Duration: Number(lastEnd - root.startTimeUnixNano) / 1e9,
    Spans: spans.map((s) => ({ Id: s.spanId, Document: serializeSpan(s) })),
  };
}

export function listRetrievedTraces(ctx: SandboxContext, region: string, raw: unknown) {
  const body = parse(listRetrievedTracesRequest, raw);
  const format = body.TraceFormat ?? "XRAY";
  if (!TOKEN.test(body.RetrievalToken)) throw new XRayRequestError("Invalid RetrievalToken.");
  const r = registry(ctx).get(body.RetrievalToken);
  if (!r || r.region !== region) throw new RetrievalNotFoundError("Retrieval token not found.");
  const offset = pageOffset(body.NextToken, body.RetrievalToken, format);
  if (r.polls++ === 0) return { RetrievalStatus: "RUNNING", TraceFormat: format };
  const found = hasTransactionSearch(region)
    ? r.traceIds.flatMap((id) => {
        const t = retrievedTrace(ctx, r, id, format);
        return t ? [t] : [];
      })
    : [];
  const page = found.slice(offset, offset + PAGE_SIZE);
  return {
    RetrievalStatus: "COMPLETE",
    TraceFormat: format,
    Traces: page,
    ...(offset + PAGE_SIZE < found.length
      ? { NextToken: pageToken(body.RetrievalToken, format, offset + PAGE_SIZE) }
      : {}),
  };
}
