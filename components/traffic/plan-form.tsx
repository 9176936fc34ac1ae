"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { describeRouting, percentToWeight } from "@/lib/core/traffic/routing";
import { ConfirmChange, type ChangePreview } from "./confirm-change";
import { postJson, type ApiError } from "./post-json";

export interface PlanFormProps {
  /** The alias's account: every change names it (the server reaches the alias through that account's role). */
  account: string;
  region: string;
  functionName: string;
  alias: string;
  candidates: string[];
  /** The alias's primary version: a plan moves traffic from it, an abort returns traffic to it. */
  stableVersion: string;
  /** The configured routing in words, and its revision: the "now" of each confirmation. */
  configured: string;
  revisionId: string;
  runningPlanId: string | null;
  canChange: boolean;
}

interface Pending extends ChangePreview {
  send: () => Promise<void>;
}

/** What the plans API answers with (lib/store/plans.ts StoredPlan, the part shown). */
interface PlanResult {
  id: string;
  state: { status: string; reason: string | null };
}

/** Start a canary or linear plan (the server runs it), or abort the running one. */
export function PlanForm(p: PlanFormProps) {
  const router = useRouter();
  const [kind, setKind] = useState<"canary" | "linear">("canary");
  const [version, setVersion] = useState(p.candidates[0] ?? "");
  const [stepPercent, setStepPercent] = useState("10");
  const [stepSeconds, setStepSeconds] = useState("300");
  const [errPct, setErrPct] = useState("2");
  const [p99, setP99] = useState("1.5");
  const [alarm, setAlarm] = useState("");
  const [minInv, setMinInv] = useState("50");
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ message: string; planId: string | null } | null>(null);
  // A plan started or ended (here, by its runner or elsewhere): drop a confirmation prepared for the old state
  // and a message about another plan.
  const [seenPlan, setSeenPlan] = useState(p.runningPlanId);
  if (seenPlan !== p.runningPlanId) {
    setSeenPlan(p.runningPlanId);
    setPending(null);
    // A conflict refreshed the page to this state: its message stays with it.
    if (error?.code !== "Conflict") setError(null);
    // The candidates follow the alias's primary version, which a plan's end may have changed.
    setVersion(p.candidates[0] ?? "");
    if (done && done.planId !== p.runningPlanId) setDone(null);
  }

  async function send(url: string, body: unknown, message: (r: PlanResult) => string) {
    setBusy(true);
    setError(null);
    setDone(null);
    const r = await postJson<PlanResult>(url, body);
    setBusy(false);
    setPending(null);
    if (r.ok) {
      setDone({
        message: message(r.result),
        planId: r.result?.state.status === "running" ? r.result.id : null,
      });
      router.refresh();
    } else {
      setError(r.error);
      // The alias or the plan moved on (a step, its end, another operator): show where it is now.
      if (r.error.code === "Conflict") router.refresh();
    }
  }

  function confirmStart() {
    const weight = percentToWeight(Number(stepPercent));
    const first = describeRouting({
      primaryVersion: p.stableVersion,
      routing: { additionalVersion: version, weight },
    });
    setPending({
      action: `Start ${kind} plan to v${version}`,
      before: p.configured,
      after: `${first} first, then v${version} 100%`,
      revisionId: p.revisionId,
      note:
        kind === "canary"
          ? `Holds ${stepPercent}% on v${version} for ${stepSeconds}s, then promotes if the guards pass; rolls back to v${p.stableVersion} if they trip.`
          : `Adds ${stepPercent}% every ${stepSeconds}s while the guards pass; rolls back to v${p.stableVersion} if they trip.`,
      send: start,
    });
  }

  function confirmAbort() {
    setPending({
      action: "Abort plan and roll back",
      // The plan may have stepped since the page loaded: the server reads the alias again before rolling back.
      before: `${p.configured} (as this page loaded)`,
      after: `v${p.stableVersion} 100%`,
      revisionId: null,
      danger: true,
      send: abort,
    });
  }

  async function start() {
    await send(
      "/api/traffic/plans",
      {
        account: p.account,
        region: p.region,
        functionName: p.functionName,
        alias: p.alias,
        newVersion: version,
        kind,
        stepPercent: Number(stepPercent),
        stepSeconds: Number(stepSeconds),
        maxErrorRateIncreasePercent: Number(errPct),
        maxP99Ratio: p99 === "" ? null : Number(p99),
        alarmName: alarm.trim() || null,
        minInvocations: Number(minInv),
        revisionId: p.revisionId,
      },
      () => `Plan started: the first step applies within seconds.`,
    );
  }
  async function abort() {
    if (!p.runningPlanId) return;
    await send(
      `/api/traffic/plans/${p.runningPlanId}/abort`,
      { reason: "aborted from the console" },
      (r) => `Plan aborted${r?.state.reason ? `: ${r.state.reason}` : "."}`,
    );
  }

  /** One numeric/text setting of the plan: a labelled field whose state is the typed text. */
  const setting = (label: string, value: string, set: (v: string) => void, width: string, hint?: string) => (
    <Field label={label} hint={hint}>
      {(control) => (
        <Input
          {...control}
          inputMode={label.startsWith("Alarm") ? undefined : "decimal"}
          value={value}
          onChange={(e) => set(e.target.value)}
          className={width}
        />
      )}
    </Field>
  );
  return (
    <section
      aria-label="Progressive shift"
      className="space-y-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
    >
      <h2 className="text-sm font-semibold">Progressive shift</h2>
      {p.runningPlanId ? (
        <Button
          variant="danger-outline"
          disabled={!p.canChange || busy || pending !== null}
          onClick={confirmAbort}
        >
          Abort plan and roll back
        </Button>
      ) : (
        // Frozen while a confirmation is open: what it shows is what is sent.
        <fieldset disabled={pending !== null || busy} className="flex flex-wrap items-end gap-3 text-sm">
          <Field label="Plan kind">
            {(control) => (
              <Select
                {...control}
                value={kind}
                onValueChange={(v) => setKind(v === "linear" ? "linear" : "canary")}
                options={[
                  { value: "canary", label: "canary" },
                  { value: "linear", label: "linear" },
                ]}
              />
            )}
          </Field>
          <Field label="New version">
            {(control) => (
              <Select
                {...control}
                value={version}
                onValueChange={setVersion}
                options={p.candidates.map((v) => ({ value: v, label: v }))}
                placeholder="no candidate"
              />
            )}
          </Field>
          {setting(
            kind === "canary" ? "Canary percent" : "Step percent",
            stepPercent,
            setStepPercent,
            "w-24",
          )}
          {setting("Step seconds", stepSeconds, setStepSeconds, "w-24")}
          {setting("Max error rate increase", errPct, setErrPct, "w-24", "Percentage points")}
          {setting("Max p99 ratio", p99, setP99, "w-20")}
          {setting("Alarm name", alarm, setAlarm, "w-56", "Optional")}
          {setting("Min invocations", minInv, setMinInv, "w-24")}
          <Button
            variant="primary"
            disabled={!p.canChange || !version || busy || pending !== null}
            onClick={confirmStart}
          >
            Start plan
          </Button>
        </fieldset>
      )}
      {pending && (
        <ConfirmChange
          preview={pending}
          busy={busy}
          onConfirm={() => void pending.send()}
          onCancel={() => setPending(null)}
        />
      )}
      {done && (
        <p role="status" data-testid="plan-status" className="text-sm text-emerald-700">
          {done.message}
        </p>
      )}
      {error && (
        <p role="alert" data-error-code={error.code} className="text-sm text-red-700 dark:text-red-400">
          {error.message}
        </p>
      )}
    </section>
  );
}
