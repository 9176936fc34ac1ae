/**
 * What a Lambda log stream's name says about the lines in it. Lambda names a stream of the function's default
 * group `YYYY/MM/DD/[version]environment`, and one of a custom log group — which several functions may share —
 * `YYYY/MM/DD/<function_name>[<version>][<environment>]` (Lambda developer guide, "Configuring CloudWatch log
 * groups"), so that the lines of a shared group can be told apart by function.
 *
 * Invariants: pure and total; a name that does not have either shape says nothing (nulls), never a guess.
 */

/** Lambda function names: letters, digits, hyphens and underscores, ≤ 64 characters. */
const STREAM = /^\d{4}\/\d\d\/\d\d\/([A-Za-z0-9_-]{1,64})?\[(\$LATEST|\d{1,10})\]/;

export interface StreamParts {
  /** The function a custom group's stream names; null for a default group's stream (or an unknown shape). */
  fn: string | null;
  version: string | null;
}

export function streamParts(stream: string | null): StreamParts {
  const m = stream === null ? null : STREAM.exec(stream);
  return { fn: m?.[1] ?? null, version: m?.[2] ?? null };
}

/**
 * The function a line of `logGroup` belongs to: the one its stream names, else the group's only function. A
 * group shared by several functions whose stream does not say is credited to all of them, by name, as one
 * "function" (`a | b`), so the page says the line's function cannot be told rather than picking one.
 */
export function lineOwner(
  functions: readonly string[] | undefined,
  stream: string | null,
): string | undefined {
  const named = streamParts(stream).fn;
  if (named !== null) return named;
  if (functions === undefined || functions.length === 0) return undefined;
  return functions.length === 1 ? functions[0] : sharedOwner(functions);
}

/** How a shared group's unattributable lines name their functions. */
export const sharedOwner = (functions: readonly string[]) => [...functions].sort().join(" | ");

/** Whether a row's function is a shared group's "cannot be told" (function names hold no spaces). */
export const isSharedOwner = (fn: string) => fn.includes(" | ");
