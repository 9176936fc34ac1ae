/**
 * Who is asking, and what they may do. Pure: the rules are testable without cookies or a server.
 *
 * Policy: anyone (even unauthenticated) may read; only an operator may change traffic; read-only mode refuses
 * every change, whoever asks. Unauthenticated → 401 Unauthenticated, viewer or read-only → 403 AccessDenied.
 */
import { FleetscopeError } from "@/lib/core/errors";

export type Role = "operator" | "viewer";

export interface Principal {
  /** Stable id: "local-operator" for the login token, `oidc:<sub>` for OIDC users. */
  id: string;
  name: string;
  role: Role;
  via: "token" | "oidc";
}

export function authorizeChange(principal: Principal | null, readOnly: boolean): Principal {
  if (readOnly) {
    throw new FleetscopeError(
      "AccessDenied",
      "The console is in read-only mode (FLEETSCOPE_READ_ONLY): changes are disabled.",
    );
  }
  if (!principal) throw new FleetscopeError("Unauthenticated", "Sign in as an operator to change traffic.");
  if (principal.role !== "operator") {
    throw new FleetscopeError(
      "AccessDenied",
      `${principal.name} is a viewer: only operators may change traffic.`,
    );
  }
  return principal;
}

/**
 * The role an OIDC user gets from their ID-token claims: operator when the configured groups claim (a list, or
 * one string, as providers differ) contains the operator group; viewer otherwise.
 */
export function roleFromClaims(
  claims: Record<string, unknown>,
  groupsClaim: string,
  operatorGroup: string,
): Role {
  const raw = claims[groupsClaim];
  const groups = Array.isArray(raw)
    ? raw.filter((g): g is string => typeof g === "string")
    : typeof raw === "string"
      ? [raw]
      : [];
  return groups.includes(operatorGroup) ? "operator" : "viewer";
}
