/**
 * Progressive shift plans (canary, linear) as a pure state machine. The runner (lib/data/traffic/runner.ts)
 * asks `decide` what to do, performs the one UpdateAlias it names, and only then stores `next`: a crash between
 * the two leaves the old state, and the next tick re-derives the same action from the alias it reads back.
 *
 * Invariants:
 * - Weights strictly increase and stay below 1; the last move is always a promote (primary := new version,
 *   no routing), never "weight 1", so a finished plan leaves a plain alias.
 * - A step advances only on a "pass" verdict after its full duration; a "trip" at any time rolls back to 0 %
 *   (all traffic to the stable version) and ends the plan; "wait" (too little evidence) extends the step, up to
 *   `maxWaitFactor` × its duration, then rolls back: a shift never proceeds on no evidence.
 * - Terminal states (succeeded, rolled_back, aborted) never produce an action.
 */
import type { AccountId } from "../accounts/account-id";
import type { EpochMs, Ratio, Seconds } from "../units";
import { ratio } from "../units";
import type { GuardConfig, GuardEvaluation } from "./guards";
import { roundWeight } from "./routing";

export type PlanShape =
  | { kind: "canary"; weight: Ratio; stepSeconds: Seconds }
  | { kind: "linear"; increment: Ratio; stepSeconds: Seconds };

export interface PlanSpec {
  /** The account the alias lives in (its changes go through that account's role). */
  account: AccountId;
  region: string;
  functionName: string;
  alias: string;
  stableVersion: string;
  newVersion: string;
  shape: PlanShape;
  guards: GuardConfig;
  /** How long a step may wait for evidence, as a multiple of its duration, before rolling back. */
  maxWaitFactor: number;
}

export type PlanStatus = "running" | "succeeded" | "rolled_back" | "aborted";
export const isTerminal = (s: PlanStatus) => s !== "running";

export interface PlanState {
  status: PlanStatus;
  /** Index into planWeights(); -1 before the first weight is applied. */
  step: number;
  stepStartedAt: EpochMs | null;
  reason: string | null;
}

export const initialPlanState = (): PlanState => ({
  status: "running",
  step: -1,
  stepStartedAt: null,
  reason: null,
});

/** The weights a plan moves through before promoting. */
export function planWeights(shape: PlanShape): Ratio[] {
  if (shape.kind === "canary") return [roundWeight(shape.weight)];
  const out: Ratio[] = [];
  // Integer arithmetic on 1e-4 units avoids 0.1 + 0.2 drift producing a step of 0.30000000000000004.
  const inc = Math.round(shape.increment * 10_000);
  if (inc <= 0) return out;
  for (let units = inc; units < 10_000; units += inc) out.push(ratio(units / 10_000));
  return out;
}

export type PlanAction =
  | { kind: "none"; why: string }
  | { kind: "setWeight"; weight: Ratio; step: number }
  | { kind: "promote" }
  | { kind: "rollback"; reason: string };

export interface Decision {
  action: PlanAction;
  /** The state to store once the action has succeeded. */
  next: PlanState;
}

/** `guards` is the evaluation over the plan's evidence window; null before any weight was applied. */
export function decide(
  spec: PlanSpec,
  state: PlanState,
  now: EpochMs,
  guards: GuardEvaluation | null,
): Decision {
  if (isTerminal(state.status)) return { action: { kind: "none", why: `plan ${state.status}` }, next: state };

  const weights = planWeights(spec.shape);
  if (state.step < 0 || state.stepStartedAt === null) {
    const first = weights[0];
    if (first === undefined) {
      return {
        action: { kind: "rollback", reason: "the plan has no steps" },
        next: { ...state, status: "rolled_back", reason: "the plan has no steps" },
      };
    }
    return {
      action: { kind: "setWeight", weight: first, step: 0 },
      next: { status: "running", step: 0, stepStartedAt: now, reason: null },
    };
  }

  if (guards?.verdict === "trip") {
    const tripped = guards.checks
      .filter((c) => c.status === "trip")
      .map((c) => `${c.guard}: ${c.detail}`)
      .join("; ");
    const reason = `guard tripped: ${tripped}`;
    return { action: { kind: "rollback", reason }, next: { ...state, status: "rolled_back", reason } };
  }

  const stepMs = spec.shape.stepSeconds * 1000;
  const elapsed = now - state.stepStartedAt;
  if (elapsed < stepMs) {
    return {
      action: {
        kind: "none",
        why: `step ${state.step + 1} has ${Math.ceil((stepMs - elapsed) / 1000)} s left`,
      },
      next: state,
    };
  }

  if (guards === null || guards.verdict === "wait") {
    if (elapsed < stepMs * spec.maxWaitFactor) {
      return { action: { kind: "none", why: "waiting for enough evidence" }, next: state };
    }
    const reason = "not enough evidence to judge the new version within the step's time limit";
    return { action: { kind: "rollback", reason }, next: { ...state, status: "rolled_back", reason } };
  }

  const nextStep = state.step + 1;
  const weight = weights[nextStep];
  if (weight === undefined) {
    return {
      action: { kind: "promote" },
      next: { ...state, status: "succeeded", reason: "all steps passed their guards" },
    };
  }
  return {
    action: { kind: "setWeight", weight, step: nextStep },
    next: { status: "running", step: nextStep, stepStartedAt: now, reason: null },
  };
}

/** The routing a running plan expects the alias to have at its current step (to detect outside changes). */
export function expectedWeight(spec: PlanSpec, state: PlanState): Ratio | null {
  if (state.status !== "running" || state.step < 0) return null;
  return planWeights(spec.shape)[state.step] ?? null;
}
