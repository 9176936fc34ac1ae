/**
 * Deliberately broken traces, so the console's "show what you could read" path has real input.
 *
 * Invariants:
 * - Deterministic from the trace itself: 1 in MALFORMED_ONE_IN sampled traces by a hash of the trace id, plus the
 *   planted one (see isPlantedMalformed and sandbox/src/xray/README.md).
 * - Only the serialized documents break; summaries report the trace with IsPartial = true (filter: `partial`).
 */
import type { SimFunction } from "../fleet/model";
import type { Invocation, MinuteRecord } from "../sim/types";
import { fnv1a } from "./hash";
import type { TraceDocuments } from "./segments";

export type MalformedKind =
  /** The function segment's `Invocation` subsegment has no `end_time` (and no `in_progress`). */
  | "missing-end-time"
  /** The function segment's document is cut off halfway: not parseable JSON. The service segment is intact. */
  | "invalid-json";

export const MALFORMED_ONE_IN = 500;
export const PLANTED_FUNCTION = { name: "payments-api", region: "us-east-1" } as const;

/**
 * The planted malformed trace: the first sampled payments-api (us-east-1) invocation in the first minute of every
 * UTC hour (HH:00:00–HH:00:59) — found with `service("payments-api") AND partial` over that minute.
 */
export function isPlantedMalformed(fn: SimFunction, record: MinuteRecord, inv: Invocation): boolean {
  if (fn.name !== PLANTED_FUNCTION.name || fn.region !== PLANTED_FUNCTION.region) return false;
  if (record.minuteMs % 3_600_000 !== 0) return false;
  return record.invocations.find((i) => i.sampled)?.traceId === inv.traceId;
}

export function malformedKind(traceId: string, planted: boolean): MalformedKind | null {
  if (planted) return "invalid-json";
  const h = fnv1a(`malformed:${traceId}`);
  if (h % MALFORMED_ONE_IN !== 0) return null;
  return (h >>> 16) % 2 === 0 ? "missing-end-time" : "invalid-json";
}

/** The `Segments` list of BatchGetTraces: each document as X-Ray stores it (a JSON string), possibly broken. */
export function serializeSegments(
  docs: TraceDocuments,
  kind: MalformedKind | null,
): { Id: string; Document: string }[] {
  let fnDoc = JSON.stringify(docs.function);
  if (kind === "missing-end-time") {
    const broken = structuredClone(docs.function);
    const invocation = broken.subsegments?.find((s) => s.name === "Invocation");
    if (invocation) delete invocation.end_time;
    fnDoc = JSON.stringify(broken);
  } else if (kind === "invalid-json") {
    fnDoc = fnDoc.slice(0, Math.floor(fnDoc.length / 2));
  }
  return [
    { Id: docs.service.id, Document: JSON.stringify(docs.service) },
    { Id: docs.function.id, Document: fnDoc },
  ];
}
