/**
 * UpdateAlias: validation and the state change.
 *
 * Invariants kept on the model:
 * - an alias routes to at most one additional version, with a weight in [0, 1];
 * - with routing, both versions are published (no $LATEST), exist, and differ;
 * - provisioned concurrency never sits on an alias with routing;
 * - history stays ordered by fromMs: the change takes effect from the start of the next minute, and two
 *   updates within one minute replace that pending entry instead of appending a second one;
 * - every successful update issues a new RevisionId; a stale RevisionId is a 412 and changes nothing.
 * Messages follow AWS's wording where known; the rest are best effort (see sandbox/README.md).
 */
import { z } from "zod";
import type { Alias, AliasChange, SimFunction } from "../fleet/model";
import { deriveSeed, Rng } from "../fleet/prng";
import { LambdaError, invalidParameter, notFound, preconditionFailed, validation } from "./errors";
import { functionArn } from "./names";

const MINUTE = 60_000;

export const UpdateAliasBody = z.object({
  FunctionVersion: z.string().min(1).max(1024).optional(),
  Description: z.string().max(256).optional(),
  RoutingConfig: z
    .object({ AdditionalVersionWeights: z.record(z.string(), z.number()).optional() })
    .optional(),
  RevisionId: z.string().optional(),
});
export type UpdateAliasInput = z.infer<typeof UpdateAliasBody>;

export interface AliasScope {
  region: string;
  accountId: string;
  seed: number;
  now: number;
}

const exists = (fn: SimFunction, version: string) =>
  version === "$LATEST" || fn.versions.some((v) => v.version === version);

/** Request validation (AWS runs it before looking anything up): patterns and ranges of the input. */
function validateShape(input: UpdateAliasInput): void {
  const v = input.FunctionVersion;
  if (v !== undefined && !/^(\$LATEST|[0-9]+)$/.test(v))
    throw validation(
      v,
      "functionVersion",
      "Member must satisfy regular expression pattern: (\\$(LATEST|LATEST\\.PUBLISHED)|[0-9]+)",
    );
  const weights = Object.entries(input.RoutingConfig?.AdditionalVersionWeights ?? {});
  const shown = `{${weights.map(([k, w]) => `${k}=${w}`).join(", ")}}`;
  const member = "routingConfig.additionalVersionWeights";
  for (const [version, weight] of weights) {
    if (!/^[0-9]+$/.test(version))
      throw validation(
        shown,
        member,
        "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [0-9]+]",
      );
    if (!Number.isFinite(weight) || weight < 0 || weight > 1)
      throw validation(
        shown,
        member,
        "Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0]",
      );
  }
}

export function updateAlias(
  scope: AliasScope,
  fn: SimFunction,
  aliasName: string,
  input: UpdateAliasInput,
): Alias {
  validateShape(input);
  const arn = (q?: string) => functionArn(scope.region, scope.accountId, fn.name, q);
  const alias = fn.aliases.find((a) => a.name === aliasName);
  if (!alias) throw notFound(`Alias not found: ${arn(aliasName)}`);
  if (input.RevisionId !== undefined && input.RevisionId !== alias.revisionId)
    throw preconditionFailed("GetAlias");

  const current = alias.history[alias.history.length - 1] as AliasChange;
  const primary = input.FunctionVersion ?? current.functionVersion;
  if (!exists(fn, primary)) throw notFound(`Function not found: ${arn(primary)}`);

  let additional = current.additional;
  if (input.RoutingConfig !== undefined) {
    const weights = Object.entries(input.RoutingConfig.AdditionalVersionWeights ?? {});
    if (weights.length > 1)
      throw invalidParameter(
        `Number of items in AdditionalVersionWeights is ${weights.length}, but an alias can point to at most one additional version.`,
      );
    const [entry] = weights;
    additional = entry ? { version: entry[0], weight: entry[1] } : null;
  }
  if (additional) {
    if (primary === "$LATEST")
      throw invalidParameter("$LATEST is not supported for an alias pointing to more than 1 version");
    if (!exists(fn, additional.version)) throw notFound(`Function not found: ${arn(additional.version)}`);
    if (additional.version === primary)
      throw invalidParameter(
        `Additional version ${additional.version} must be different from the alias's function version ${primary}.`,
      );
    if (fn.provisioned.some((p) => p.qualifier === alias.name))
      throw new LambdaError(
        409,
        "ResourceConflictException",
        `Alias ${arn(alias.name)} has provisioned concurrency configured; an alias with provisioned concurrency cannot route to more than one version.`,
      );
  }

  const fromMs = Math.floor(scope.now / MINUTE) * MINUTE + MINUTE;
  const change: AliasChange = {
    fromMs,
    functionVersion: primary,
    additional: additional ? { ...additional } : null,
  };
  if (current.fromMs >= fromMs) alias.history[alias.history.length - 1] = change;
  else alias.history.push(change);
  if (input.Description !== undefined) alias.description = input.Description;
  alias.revisionId = new Rng(
    deriveSeed(scope.seed, `${alias.revisionId}/${fromMs}/${JSON.stringify(change)}`),
  ).uuid();
  return alias;
}
