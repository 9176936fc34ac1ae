"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { postJson, type ApiError } from "./post-json";

export interface PlanFormProps {
  region: string;
  functionName: string;
  alias: string;
  candidates: string[];
  runningPlanId: string | null;
  canChange: boolean;
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

  async function start() {
    setError(null);
    const r = await postJson("/api/traffic/plans", {
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
    });
    if (r.ok) router.refresh();
    else setError(r.error);
  }
  async function abort() {
    if (!p.runningPlanId) return;
    const r = await postJson(`/api/traffic/plans/${p.runningPlanId}/abort`, {
      reason: "aborted from the console",
    });
    if (r.ok) router.refresh();
    else setError(r.error);
  }

  const field = "rounded border px-2 py-1 dark:bg-zinc-900";
  return (
    <section
      aria-label="Progressive shift"
      className="space-y-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
    >
      <h2 className="text-sm font-semibold">Progressive shift</h2>
      {p.runningPlanId ? (
        <button
          type="button"
          disabled={!p.canChange}
          onClick={abort}
          className="rounded border border-red-300 px-3 py-1.5 text-sm text-red-700 disabled:opacity-40"
        >
          Abort plan and roll back
        </button>
      ) : (
        <div className="flex flex-wrap items-end gap-3 text-sm">
          <label className="flex flex-col gap-1">
            Kind
            <select
              aria-label="Plan kind"
              value={kind}
              onChange={(e) => setKind(e.target.value === "linear" ? "linear" : "canary")}
              className={field}
            >
              <option value="canary">canary</option>
              <option value="linear">linear</option>
            </select>
          </label>
          <label className="flex flex-col gap-1">
            New version
            <select
              aria-label="New version"
              value={version}
              onChange={(e) => setVersion(e.target.value)}
              className={field}
            >
              {p.candidates.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1">
            {kind === "canary" ? "Canary %" : "Step +%"}
            <input
              aria-label="Step percent"
              type="number"
              value={stepPercent}
              onChange={(e) => setStepPercent(e.target.value)}
              className={`w-20 ${field}`}
            />
          </label>
          <label className="flex flex-col gap-1">
            Step seconds
            <input
              aria-label="Step seconds"
              type="number"
              value={stepSeconds}
              onChange={(e) => setStepSeconds(e.target.value)}
              className={`w-24 ${field}`}
            />
          </label>
          <label className="flex flex-col gap-1">
            Max error-rate increase (pts %)
            <input
              aria-label="Max error rate increase"
              type="number"
              value={errPct}
              onChange={(e) => setErrPct(e.target.value)}
              className={`w-20 ${field}`}
            />
          </label>
          <label className="flex flex-col gap-1">
            Max p99 ratio
            <input
              aria-label="Max p99 ratio"
              value={p99}
              onChange={(e) => setP99(e.target.value)}
              className={`w-20 ${field}`}
            />
          </label>
          <label className="flex flex-col gap-1">
            Alarm (optional)
            <input
              aria-label="Alarm name"
              value={alarm}
              onChange={(e) => setAlarm(e.target.value)}
              className={`w-56 ${field}`}
            />
          </label>
          <label className="flex flex-col gap-1">
            Min invocations
            <input
              aria-label="Min invocations"
              type="number"
              value={minInv}
              onChange={(e) => setMinInv(e.target.value)}
              className={`w-24 ${field}`}
            />
          </label>
          <button
            type="button"
            disabled={!p.canChange || !version}
            onClick={start}
            className="rounded bg-sky-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-40"
          >
            Start plan
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error.message}
        </p>
      )}
    </section>
  );
}
