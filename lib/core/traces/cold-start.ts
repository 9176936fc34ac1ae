/**
 * What a Lambda trace says about its request: was it a cold start, how long init, the handler and the runtime's
 * overhead took, and which version (and alias) served it.
 *
 * Sources, in order of trust: the Initialization (or, for a SnapStart restore, Restore) / Invocation / Overhead
 * subsegments of the `AWS::Lambda::Function` segment; the `version` / `alias` annotations; the qualifier of the function segment's
 * `resource_arn` (the executed version) and of the `AWS::Lambda` segment's (the alias invoked).
 */
import type { Ms } from "../units";
import { FUNCTION_ORIGIN, SERVICE_ORIGIN } from "./tree";
import type { Span, SpanException, SpanTree } from "./types";

export interface ColdStartBreakdown {
  functionName: string;
  /** True when an Initialization or a (SnapStart) Restore subsegment was recorded. */
  cold: boolean;
  /** Which cold start: an INIT, or a SnapStart restore (which replaces INIT: AWS records `Restore` in its place). */
  coldKind: "init" | "restore" | null;
  init: Ms | null;
  restore: Ms | null;
  invocation: Ms | null;
  overhead: Ms | null;
  /** The function segment's own duration (init + invocation + overhead when all three are known). */
  total: Ms;
  version: string | null;
  alias: string | null;
}

const qualifier = (arn: string | null): string | null => {
  // arn:aws:lambda:region:account:function:name[:qualifier]
  const parts = arn?.split(":") ?? [];
  return parts.length === 8 ? (parts[7] ?? null) : null;
};

const isVersion = (q: string) => /^\d+$/.test(q) || q === "$LATEST";

export function coldStartBreakdown(tree: SpanTree): ColdStartBreakdown | null {
  const fnIndex = tree.spans.findIndex((s) => s.kind === "segment" && s.origin === FUNCTION_ORIGIN);
  const fn = tree.spans[fnIndex];
  if (fn === undefined) return null;
  const phases = new Map<string, Span>();
  for (const c of tree.children[fnIndex] ?? []) {
    const s = tree.spans[c];
    if (s?.phase) phases.set(s.phase, s);
    // X-Ray's SnapStart phase; not a LambdaPhase of the tree, so read by name under the function segment.
    else if (s?.kind === "subsegment" && s.name === "Restore") phases.set("Restore", s);
  }
  const invocation = phases.get("Invocation");
  const service = tree.spans.find((s) => s.kind === "segment" && s.origin === SERVICE_ORIGIN);
  const annotated = (key: string) => {
    const v = invocation?.annotations[key] ?? fn.annotations[key];
    return v === undefined || typeof v === "boolean" ? null : String(v);
  };
  const executed = qualifier(fn.resourceArn);
  const invoked = qualifier(service?.resourceArn ?? null);
  const duration = (s: Span | undefined) => (s === undefined || s.endMissing ? null : s.duration);
  return {
    functionName: fn.name,
    cold: phases.has("Initialization") || phases.has("Restore"),
    coldKind: phases.has("Restore") ? "restore" : phases.has("Initialization") ? "init" : null,
    init: duration(phases.get("Initialization")),
    restore: duration(phases.get("Restore")),
    invocation: duration(invocation),
    overhead: duration(phases.get("Overhead")),
    total: fn.duration,
    version: annotated("version") ?? (executed !== null && isVersion(executed) ? executed : null),
    alias: annotated("alias") ?? (invoked !== null && !isVersion(invoked) ? invoked : null),
  };
}

/** The request id Lambda's service segment records (`aws.request_id`), or the function's metadata's. */
export function traceRequestId(tree: SpanTree): string | null {
  for (const s of tree.spans) {
    if (s.kind === "segment" && s.origin === SERVICE_ORIGIN && typeof s.aws.request_id === "string") {
      return s.aws.request_id;
    }
  }
  return null;
}

/**
 * A span's exceptions: its own, or those its `cause` id points at (X-Ray lets a parent cite an exception a
 * child recorded, and the reverse).
 */
export function spanExceptions(tree: Pick<SpanTree, "spans">, index: number): readonly SpanException[] {
  const s = tree.spans[index];
  if (s === undefined) return [];
  if (s.exceptions.length > 0 || s.causeRef === null) return s.exceptions;
  for (const other of tree.spans) {
    const found = other.exceptions.find((e) => e.id === s.causeRef);
    if (found) return [found];
  }
  return [];
}
