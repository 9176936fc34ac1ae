/**
 * CloudWatch cross-account observability (OAM): which account's telemetry a caller may read. A monitoring account
 * reads its own and its linked source accounts' metrics, logs and traces; every other account reads only its own.
 * Each account answers from its own context (fleet, simulator), so a source's data read through the monitoring
 * account is exactly what the source reads for itself. Shared by the CloudWatch, Logs and X-Ray handlers.
 */
import type { SandboxContext } from "../http/types";

export const accountIdOf = (ctx: SandboxContext): string => ctx.account.accountId;

/** The source accounts linked to the caller's account, in the directory's order ([] unless a monitoring account). */
export function linkedSourceIds(ctx: SandboxContext): string[] {
  return ctx.directory?.linkedSources(accountIdOf(ctx)) ?? [];
}

export const isMonitoringAccount = (ctx: SandboxContext): boolean => linkedSourceIds(ctx).length > 0;

/**
 * The context of `accountId` when the caller may read its telemetry: the caller's own, or a linked source's in a
 * monitoring account. null for any other account (unlinked, unknown, or the caller is not a monitoring account).
 */
export function readableContext(ctx: SandboxContext, accountId: string): SandboxContext | null {
  if (accountId === accountIdOf(ctx)) return ctx;
  if (!linkedSourceIds(ctx).includes(accountId)) return null;
  return ctx.directory?.get(accountId) ?? null;
}

/** The caller's context first, then each linked source's (only the caller's outside a monitoring account). */
export function readableContexts(ctx: SandboxContext): SandboxContext[] {
  const out = [ctx];
  for (const id of linkedSourceIds(ctx)) {
    const source = readableContext(ctx, id);
    if (source) out.push(source);
  }
  return out;
}
