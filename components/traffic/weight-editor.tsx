"use client";

import { useRouter } from "next/navigation";
import { Suspense, use, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import {
  describeRouting,
  percentToWeight,
  validateRouting,
  type RoutingField,
  type RoutingProblem,
} from "@/lib/core/traffic/routing";
import { ConfirmChange, type ChangePreview } from "./confirm-change";
import { postJson, type ApiError } from "./post-json";

export interface EditorVerdict {
  health: string;
  summary: string;
  canaryVersion: string;
}

export interface WeightEditorProps {
  /** The alias's account: every change names it (the server reaches the alias through that account's role). */
  account: string;
  region: string;
  functionName: string;
  alias: string;
  primaryVersion: string;
  additionalVersion: string | null;
  weightPercent: number;
  revisionId: string;
  /** The configured routing in words ("v7 70% / v8 30%"): the "now" of every confirmation. */
  configured: string;
  publishedVersions: string[];
  aliasHasProvisionedConcurrency: boolean;
  canChange: boolean;
  disabledReason: string | null;
  /**
   * The canary's verdict as the page judges it (streams in after the metrics); the server judges again when
   * Promote is pressed. Until it arrives, Promote waits and everything else works.
   */
  verdict: Promise<EditorVerdict | null>;
}

/**
 * How the typed percent is read before the core validator sees it: a decimal number with at most two decimals
 * (0.01 % steps, what AWS's four-decimal weight can carry). Refused rather than rounded, so the number the
 * operator typed is the number sent. Range and version rules are the core validator's.
 */
export function percentProblem(text: string): RoutingProblem | null {
  const t = text.trim();
  if (t === "") return { field: "weight", message: "Enter the weight of the additional version in percent." };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) {
    return { field: "weight", message: `"${t}" is not a number of percent.` };
  }
  if (/\.\d{3,}$/.test(t)) {
    return { field: "weight", message: "The weight takes at most 2 decimals of a percent (0.01 % steps)." };
  }
  return null;
}

/**
 * Primary version, one additional version and its weight in percent, with the preview of what will be sent.
 * The same core validator the server runs decides whether Apply is enabled; the server still re-validates.
 * Each problem is shown under the field it is about (tied by aria-describedby, the field aria-invalid).
 */
export function WeightEditor(p: WeightEditorProps) {
  const router = useRouter();
  const [primary, setPrimary] = useState(p.primaryVersion);
  const [extra, setExtra] = useState(p.additionalVersion ?? "");
  const [percent, setPercent] = useState(String(p.weightPercent));
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  /** The last change's message, with the revision it produced: shown while the alias is still at that revision. */
  const [done, setDone] = useState<{ label: string; revisionId: string | null } | null>(null);
  const [override, setOverride] = useState(false);
  const [overrideReason, setOverrideReason] = useState("");
  const [pending, setPending] = useState<
    (ChangePreview & { url: string; body: unknown; label: string }) | null
  >(null);
  // A new revision (ours after refresh, a plan's step, a CLI change): the form starts from what is configured
  // now, and a message about an older change goes. React's "adjust state when a prop changes" pattern.
  const [seenRevision, setSeenRevision] = useState(p.revisionId);
  if (seenRevision !== p.revisionId) {
    setSeenRevision(p.revisionId);
    setPrimary(p.primaryVersion);
    setExtra(p.additionalVersion ?? "");
    setPercent(String(p.weightPercent));
    setOverride(false);
    setOverrideReason("");
    setPending(null);
    // A conflict refreshed the page to this revision: its message (naming the routing now) stays with it.
    if (error?.code !== "Conflict") setError(null);
    if (done && done.revisionId !== p.revisionId) setDone(null);
  }

  const pct = Number(percent);
  const target = {
    primaryVersion: primary,
    routing: extra ? { additionalVersion: extra, weight: percentToWeight(pct) } : null,
  };
  // The percent is only read when there is an additional version to weigh.
  const typed = extra ? percentProblem(percent) : null;
  const problems = [
    ...(typed ? [typed] : []),
    ...validateRouting(target, {
      publishedVersions: p.publishedVersions,
      aliasHasProvisionedConcurrency: p.aliasHasProvisionedConcurrency,
    }).filter((x) => !(typed && x.field === "weight" && !Number.isFinite(target.routing?.weight))),
  ];
  const errorOf = (field: RoutingField) =>
    problems
      .filter((x) => x.field === field)
      .map((x) => x.message)
      .join(" ") || undefined;
  const versionOptions = p.publishedVersions.map((v) => ({ value: v, label: v }));
  const base = {
    account: p.account,
    region: p.region,
    functionName: p.functionName,
    alias: p.alias,
    revisionId: p.revisionId,
    reason,
  };

  async function run(url: string, body: unknown, label: string) {
    setBusy(true);
    setError(null);
    setDone(null);
    const r = await postJson<{ revisionId?: string }>(url, body);
    setBusy(false);
    setPending(null);
    if (r.ok) {
      setDone({ label, revisionId: r.result?.revisionId ?? null });
      router.refresh();
    } else {
      setError(r.error);
      // A conflict means the alias (or a plan) moved: show its new state. A promote refused as failing: the
      // server judged the canary again, and the page shows that verdict.
      if (r.error.code === "Conflict" || url.endsWith("/promote")) router.refresh();
    }
  }

  const disabled = !p.canChange || busy || pending !== null;
  /** The buttons and the override; `verdict` undefined while it is still being judged. */
  const controls = (verdict: EditorVerdict | null | undefined) => {
    const judging = verdict === undefined;
    const failing = verdict?.health === "failing" && verdict.canaryVersion === p.additionalVersion;
    return (
      <>
        <div className="flex gap-2">
          <Button
            variant="primary"
            disabled={disabled || problems.length > 0}
            onClick={() =>
              setPending({
                action: "Apply",
                before: p.configured,
                after: describeRouting(target),
                revisionId: p.revisionId,
                url: "/api/traffic/shift",
                body: {
                  ...base,
                  primaryVersion: primary,
                  additionalVersion: extra || null,
                  weightPercent: pct,
                },
                label: `Applied: ${describeRouting(target)}`,
              })
            }
          >
            Apply
          </Button>
          <Button
            variant={failing ? "danger" : "secondary"}
            disabled={
              disabled ||
              !p.additionalVersion ||
              judging ||
              (failing && (!override || overrideReason.trim().length < 3))
            }
            onClick={() =>
              setPending({
                action: `Promote v${p.additionalVersion} to 100%`,
                before: p.configured,
                after: `v${p.additionalVersion} 100%`,
                revisionId: p.revisionId,
                danger: failing,
                note: failing ? `Overriding a failing verdict: ${verdict?.summary ?? ""}` : undefined,
                url: "/api/traffic/promote",
                body: failing ? { ...base, override, reason: overrideReason.trim() } : base,
                label: `Promoted v${p.additionalVersion} to 100%`,
              })
            }
            data-danger={failing ? "true" : undefined}
          >
            {failing
              ? `⚠ Promote failing v${p.additionalVersion} to 100%`
              : `Promote v${p.additionalVersion ?? "—"} to 100%`}
            {judging && p.additionalVersion && " (judging the canary…)"}
          </Button>
          <Button
            variant={failing ? "success" : "danger-outline"}
            disabled={disabled || !p.additionalVersion}
            onClick={() =>
              setPending({
                action: `Roll back to v${p.primaryVersion}`,
                before: p.configured,
                after: `v${p.primaryVersion} 100%`,
                revisionId: p.revisionId,
                url: "/api/traffic/rollback",
                body: base,
                label: `Rolled back to v${p.primaryVersion}`,
              })
            }
          >
            Roll back to v{p.primaryVersion}
            {failing && " (recommended)"}
          </Button>
        </div>
        {failing && (
          <fieldset
            data-testid="promote-override"
            className="space-y-2 rounded border border-red-300 p-3 text-sm dark:border-red-800"
          >
            <legend className="px-1 font-semibold text-red-700 dark:text-red-400">
              v{p.additionalVersion} is failing — promoting it sends all traffic to it
            </legend>
            <p className="text-red-800 dark:text-red-300">{verdict?.summary}</p>
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                aria-label="Override the failing verdict"
                checked={override}
                onChange={(e) => setOverride(e.target.checked)}
                disabled={!p.canChange || pending !== null}
              />
              Override the failing verdict and allow Promote
            </label>
            <Field label="Override reason" hint="Kept in the audit log; at least 3 characters.">
              {(control) => (
                <Input
                  {...control}
                  value={overrideReason}
                  onChange={(e) => setOverrideReason(e.target.value)}
                  disabled={!p.canChange || pending !== null}
                  className="w-full"
                />
              )}
            </Field>
          </fieldset>
        )}
      </>
    );
  };
  return (
    <section
      aria-label="Weight editor"
      className="space-y-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
    >
      <h2 className="text-sm font-semibold">Change routing</h2>
      {p.disabledReason && <p className="text-sm text-amber-700 dark:text-amber-400">{p.disabledReason}</p>}
      {/* Frozen while a confirmation is open: what it shows is what is sent. */}
      <fieldset disabled={pending !== null || busy} className="flex flex-wrap items-end gap-3 text-sm">
        <Field label="Primary version" error={errorOf("primaryVersion")}>
          {(control) => (
            <Select
              {...control}
              value={primary}
              onValueChange={setPrimary}
              options={versionOptions}
              placeholder={primary}
            />
          )}
        </Field>
        <Field label="Additional version" error={errorOf("additionalVersion")}>
          {(control) => (
            <Select
              {...control}
              value={extra}
              onValueChange={setExtra}
              options={[{ value: "", label: "none" }, ...versionOptions]}
              placeholder={extra}
            />
          )}
        </Field>
        <Field
          label="Weight percent"
          hint={
            extra ? "Of the additional version, 0–100, in 0.01 % steps." : "No additional version: not used."
          }
          error={extra ? errorOf("weight") : undefined}
        >
          {(control) => (
            <Input
              {...control}
              inputMode="decimal"
              value={percent}
              onChange={(e) => setPercent(e.target.value)}
              className="w-28"
            />
          )}
        </Field>
        <Field label="Reason" hint="Kept in the audit log.">
          {(control) => (
            <Input {...control} value={reason} onChange={(e) => setReason(e.target.value)} className="w-64" />
          )}
        </Field>
      </fieldset>
      <p className="text-sm">
        Preview:{" "}
        <span data-testid="routing-preview" className="font-mono">
          {problems.length === 0 ? describeRouting(target) : "—"}
        </span>
        {target.routing && problems.length === 0 && (
          <span className="ml-2 text-zinc-500">(sends weight {target.routing.weight})</span>
        )}
      </p>
      <Suspense key={p.revisionId} fallback={controls(undefined)}>
        <Judged verdict={p.verdict} render={controls} />
      </Suspense>
      {pending && (
        <ConfirmChange
          preview={pending}
          busy={busy}
          onConfirm={() => run(pending.url, pending.body, pending.label)}
          onCancel={() => setPending(null)}
        />
      )}
      {done && p.canChange && (
        <p role="status" className="text-sm text-emerald-700">
          {done.label}.
        </p>
      )}
      {error && (
        <p role="alert" data-error-code={error.code} className="text-sm text-red-700 dark:text-red-400">
          {error.code === "Conflict" ? "Conflict: " : ""}
          {error.message}
        </p>
      )}
    </section>
  );
}

/** Renders the controls once the verdict has arrived (a Suspense above shows them meanwhile, Promote waiting). */
function Judged({
  verdict,
  render,
}: {
  verdict: Promise<EditorVerdict | null>;
  render: (v: EditorVerdict | null) => ReactNode;
}) {
  return render(use(verdict));
}
