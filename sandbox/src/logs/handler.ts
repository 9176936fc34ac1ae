/**
 * The sandbox's CloudWatch Logs service (awsJson1_1, `X-Amz-Target: Logs_20140328.<Op>`): log groups and
 * streams of the simulated fleet, their events rendered from the simulator, filter patterns, and a Logs
 * Insights engine. Operations outside this table get UnknownOperationException, never a guess.
 */
import type { SandboxContext, SandboxRequest, ServiceHandler } from "../http/types";
import { describeLogGroups, describeLogStreams } from "./describe";
import { getQueryResults, startQuery, stopQuery } from "./queries";
import { filterLogEvents, getLogEvents } from "./read";
import { errorResponse, jsonResponse, LogsError, TARGET_PREFIX } from "./wire";

type Operation = (ctx: SandboxContext, region: string, body: unknown) => unknown;

const OPERATIONS: Record<string, Operation> = {
  DescribeLogGroups: describeLogGroups,
  DescribeLogStreams: describeLogStreams,
  GetLogEvents: getLogEvents,
  FilterLogEvents: filterLogEvents,
  StartQuery: startQuery,
  GetQueryResults: getQueryResults,
  StopQuery: stopQuery,
};

function readBody(req: SandboxRequest): unknown {
  const text = req.body.toString("utf8").trim();
  if (text === "") return {};
  try {
    const body: unknown = JSON.parse(text);
    if (body !== null && typeof body === "object" && !Array.isArray(body)) return body;
  } catch {
    // fall through
  }
  throw new LogsError("SerializationException", "Request body is not a JSON object.");
}

export const handleLogs: ServiceHandler = (req, ctx) => {
  const target = req.headers["x-amz-target"] ?? "";
  const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
  const op = Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
  try {
    if (!op) {
      throw new LogsError(
        "UnknownOperationException",
        `Operation ${name || target || "(none)"} is not supported.`,
      );
    }
    return jsonResponse(name, op(ctx, req.region, readBody(req)));
  } catch (e) {
    if (e instanceof LogsError) return errorResponse(name || undefined, e);
    throw e;
  }
};
