/** X-Ray filter expressions: parse once per request, then test each trace. */
import type { TraceFacts } from "../facts";
import { matchesFilter } from "./evaluate";
import { parseFilter } from "./parser";

export { FilterError } from "./errors";
export { parseFilter } from "./parser";
export type { FilterExpr } from "./ast";

/** A predicate over traces; throws FilterError for an expression X-Ray would reject. */
export function compileFilter(expression: string): (trace: TraceFacts) => boolean {
  const expr = parseFilter(expression);
  return (trace) => matchesFilter(expr, trace);
}
