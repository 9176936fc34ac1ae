/** The parsed form of an X-Ray filter expression (the subset the sandbox supports; see parser.ts). */
import type { AnnotationValue } from "../documents";

export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";
export type StringOp = "=" | "!=" | "CONTAINS" | "BEGINSWITH" | "ENDSWITH";

export type BooleanKeyword = "ok" | "error" | "fault" | "throttle" | "partial" | "inferred" | "root";
export type NumberKeyword = "responsetime" | "duration" | "http.status";
export type StringKeyword = "http.url" | "http.method" | "resource.arn";

/** A service reference: `"name"` or `id(name: "…", type: "…")`; null fields match anything. */
export interface ServiceSelector {
  name: string | null;
  type: string | null;
}

export type FilterExpr =
  | { kind: "and"; left: FilterExpr; right: FilterExpr }
  | { kind: "or"; left: FilterExpr; right: FilterExpr }
  | { kind: "not"; expr: FilterExpr }
  | { kind: "bool"; keyword: BooleanKeyword }
  | { kind: "number"; keyword: NumberKeyword; op: CompareOp; value: number }
  | { kind: "string"; keyword: StringKeyword; op: StringOp; value: string }
  /** A bare string keyword or annotation: true when the field is set ("http.url AND …", "!annotation.age"). */
  | { kind: "present"; keyword: StringKeyword }
  | { kind: "annotationPresent"; key: string }
  | { kind: "annotation"; key: string; op: CompareOp | StringOp; value: AnnotationValue }
  | { kind: "service"; selector: ServiceSelector; body: FilterExpr | null }
  | { kind: "edge"; from: ServiceSelector; to: ServiceSelector; body: FilterExpr | null };
