/**
 * The sandbox's X-Ray service (restJson1): GetTraceSummaries, BatchGetTraces, GetServiceGraph, GetTraceGraph, and
 * Transaction Search's GetTraceSegmentDestination, GetIndexingRules, StartTraceRetrieval, ListRetrievedTraces
 * (spans/retrieval.ts). Paths, shapes and error codes follow botocore's 'xray' model; timestamps are epoch seconds.
 * In a CloudWatch cross-account observability monitoring account, the trace reads also see the linked source
 * accounts' traces (cloudwatch/oam.ts).
 */
import type { z } from "zod";
import type { SandboxRequest, SandboxResponse, ServiceHandler } from "../http/types";
import { restJsonError } from "../protocol/errors";
import {
  getIndexingRules,
  getTraceSegmentDestination,
  listRetrievedTraces,
  RetrievalNotFoundError,
  startTraceRetrieval,
} from "../spans/retrieval";
import { invalidRequest, XRayRequestError } from "./errors";
import { FilterError } from "./filter";
import {
  batchGetTracesRequest,
  describeIssues,
  getServiceGraphRequest,
  getTraceGraphRequest,
  getTraceSummariesRequest,
} from "./requests";
import { ServiceGraphBuilder } from "./service-graph";
import { readableContexts } from "../cloudwatch/oam";
import { findReadableTrace, tracedFunctions, tracesInMinute } from "./store";
import { getTraceSummaries, validateRange } from "./summaries";
import { traceOutput } from "./trace";
import type { SandboxContext } from "../http/types";

/** BatchGetTraces and GetTraceGraph take 1–5 ids (API reference: "Maximum number of 5 items"). */
export const MAX_TRACE_IDS = 5;
const MAX_TRACE_ID_LENGTH = 35;
const MINUTE_MS = 60_000;

const ROUTES: Record<string, string> = {
  "/TraceSummaries": "GetTraceSummaries",
  "/Traces": "BatchGetTraces",
  "/ServiceGraph": "GetServiceGraph",
  "/TraceGraph": "GetTraceGraph",
  "/GetTraceSegmentDestination": "GetTraceSegmentDestination",
  "/GetIndexingRules": "GetIndexingRules",
  "/StartTraceRetrieval": "StartTraceRetrieval",
  "/ListRetrievedTraces": "ListRetrievedTraces",
};

/** A restJson1 body as JSON (an empty body is `{}`); the operation's zod schema validates it. */
function jsonBody(req: SandboxRequest): unknown {
  const text = req.body.toString("utf8").trim();
  if (text === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new XRayRequestError("Request body is not valid JSON.");
  }
}

function ok(operation: string, body: unknown): SandboxResponse {
  return {
    status: 200,
    operation,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  };
}

function parseBody<T>(req: SandboxRequest, schema: z.ZodType<T>): T {
  let raw: unknown = {};
  const text = req.body.toString("utf8").trim();
  if (text !== "") {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new XRayRequestError("Request body is not valid JSON.");
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new XRayRequestError(describeIssues(parsed.error, raw));
  return parsed.data;
}

function checkTraceIds(ids: string[]): void {
  if (ids.length === 0 || ids.length > MAX_TRACE_IDS) {
    throw new XRayRequestError(
      `1 validation error detected: Value at 'traceIds' failed to satisfy constraint: Member must have length between 1 and ${MAX_TRACE_IDS}`,
    );
  }
  if (ids.some((id) => id.length < 1 || id.length > MAX_TRACE_ID_LENGTH)) {
    throw new XRayRequestError(
      `1 validation error detected: Value at 'traceIds' failed to satisfy constraint: Member must satisfy constraint: [Member must have length between 1 and ${MAX_TRACE_ID_LENGTH}]`,
    );
  }
}

function batchGetTraces(req: SandboxRequest, ctx: SandboxContext) {
  const body = parseBody(req, batchGetTracesRequest);
  checkTraceIds(body.TraceIds);
  const traces = [];
  const unprocessed: string[] = [];
  for (const id of [...new Set(body.TraceIds)]) {
    const t = findReadableTrace(ctx, req.region, id);
    if (t) traces.push(traceOutput(t));
    else unprocessed.push(id);
  }
  return { Traces: traces, UnprocessedTraceIds: unprocessed };
}

function getServiceGraph(req: SandboxRequest, ctx: SandboxContext) {
  const body = parseBody(req, getServiceGraphRequest);
  validateRange(body.StartTime, body.EndTime);
  const startMs = body.StartTime * 1000;
  const endMs = Math.min(body.EndTime * 1000, ctx.now());
  const graph = new ServiceGraphBuilder();
  // A monitoring account's map also shows its linked sources' services (OAM).
  for (const owner of readableContexts(ctx)) {
    for (const fn of tracedFunctions(owner, req.region)) {
      for (let m = Math.floor(startMs / MINUTE_MS) * MINUTE_MS; m < endMs; m += MINUTE_MS) {
        for (const t of tracesInMinute(owner, fn, m)) {
          if (t.facts.start * 1000 >= startMs && t.facts.start * 1000 < endMs) graph.add(t);
        }
      }
    }
  }
  return {
    StartTime: body.StartTime,
    EndTime: body.EndTime,
    Services: graph.services(),
    ContainsOldGroupVersions: false,
  };
}

function getTraceGraph(req: SandboxRequest, ctx: SandboxContext) {
  const body = parseBody(req, getTraceGraphRequest);
  checkTraceIds(body.TraceIds);
  const graph = new ServiceGraphBuilder();
  for (const id of [...new Set(body.TraceIds)]) {
    const t = findReadableTrace(ctx, req.region, id);
    if (t) graph.add(t);
  }
  return { Services: graph.services() };
}

export const handleXRay: ServiceHandler = (req, ctx) => {
  const path = req.path.replace(/\/+$/, "");
  const operation = ROUTES[path];
  if (!operation || req.method !== "POST") {
    return restJsonError(404, "UnknownOperationException", `Unknown operation ${req.method} ${req.path}`);
  }
  try {
    switch (operation) {
      case "GetTraceSummaries":
        return ok(operation, getTraceSummaries(ctx, req.region, parseBody(req, getTraceSummariesRequest)));
      case "BatchGetTraces":
        return ok(operation, batchGetTraces(req, ctx));
      case "GetServiceGraph":
        return ok(operation, getServiceGraph(req, ctx));
      case "GetTraceSegmentDestination":
        return ok(operation, getTraceSegmentDestination(req.region));
      case "GetIndexingRules":
        return ok(operation, getIndexingRules(ctx, req.region));
      case "StartTraceRetrieval":
        return ok(operation, startTraceRetrieval(ctx, req.region, jsonBody(req)));
      case "ListRetrievedTraces":
        return ok(operation, listRetrievedTraces(ctx, req.region, jsonBody(req)));
      default:
        return ok(operation, getTraceGraph(req, ctx));
    }
  } catch (e) {
    if (e instanceof XRayRequestError || e instanceof FilterError)
      return invalidRequest(e.message, operation);
    if (e instanceof RetrievalNotFoundError) {
      return {
        ...restJsonError(404, "ResourceNotFoundException", e.message, { Message: e.message }),
        operation,
      };
    }
    throw e;
  }
};
