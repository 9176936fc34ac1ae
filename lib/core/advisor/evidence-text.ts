/**
 * A flag's evidence as a person reads it: one list of readable labels and values (thousands separators, units,
 * "deprecated 908 days ago (2024-06-10)"), shared by the Advisor page and the CLI. The raw keys and numbers stay
 * in the flag (and the JSON output) for machines.
 */
import {
  formatBytes,
  formatDuration,
  formatInteger,
  formatMb,
  formatMoney,
  formatPercent,
} from "@/lib/core/format";
import { formatLagGrowth } from "@/lib/core/triggers/lag";
import { bytes, mb, ms, ratio, usdToMicro } from "@/lib/core/units";
import type { EvidenceNumber, Flag } from "./types";

const LABELS: Record<string, string> = {
  invocations: "invocations",
  reportCount: "REPORT lines",
  reportCoverage: "REPORT lines per invocation",
  errors: "errors",
  errorRate: "error rate",
  worstDayErrorRate: "worst day's error rate",
  versionInvocations: "version's invocations",
  versionErrors: "version's errors",
  versionErrorRate: "version's error rate",
  functionErrorRate: "function's error rate",
  throttles: "throttled requests",
  throttleRate: "throttled share of requests",
  worstDayThrottleRate: "worst day's throttled share",
  reservedConcurrency: "reserved concurrency",
  concurrencyMax: "peak concurrency",
  concurrencyLimit: "concurrency limit",
  concurrencyShare: "peak share of the limit",
  provisionedConcurrency: "provisioned concurrency",
  utilisationMax: "peak utilisation",
  utilisationAvg: "average utilisation",
  breakEvenUtilisation: "break-even utilisation",
  recommendedConcurrency: "recommended concurrency",
  spilloverInvocations: "spillover invocations",
  configuredMemory: "configured memory",
  maxMemoryUsed: "peak memory used",
  p99MemoryUsed: "p99 memory used",
  maxUsedShare: "peak share of memory",
  outOfMemoryKills: "out-of-memory kills",
  recommendedMemory: "recommended memory",
  timeout: "timeout",
  recommendedTimeout: "recommended timeout",
  p99Duration: "p99 duration",
  p999Duration: "p99.9 duration",
  maxDuration: "longest duration",
  nearTimeoutShare: "share near the timeout",
  timeouts: "timeouts",
  timeoutRate: "timeout rate",
  worstDayTimeoutRate: "worst day's timeout rate",
  coldStarts: "cold starts",
  coldStartRate: "cold-start rate",
  avgInitDuration: "average init",
  p99InitDuration: "p99 init",
  maxInitDuration: "longest init",
  monthlyCostX86: "monthly cost on x86_64",
  monthlyCostArm64: "monthly cost on arm64",
  zippedCodeSize: "deployment package (zipped)",
  layersSize: "layers",
  zippedShare: "share of the 50 MB zipped limit",
  unzippedSize: "code + layers (unzipped)",
  unzippedLowerBound: "code + layers (at least)",
  unzippedShare: "share of the 250 MB unzipped limit",
  envVarsSize: "environment variables",
  share: "share of the limit",
  totalCodeSize: "code storage",
  limit: "limit",
  iteratorAgeMax: "oldest record's age",
  threshold: "threshold",
  asyncEventsDropped: "async events dropped",
  iteratorAgeGrowth: "iterator age growth",
  growingFor: "growing for",
  iteratorAgeFirst: "iterator age at the run's start",
  iteratorAgeLast: "iterator age now",
  hoursToRetention: "until records expire",
  assumedRetention: "stream retention (assumed)",
  batchSize: "batch size",
  parallelizationFactor: "parallelization factor",
  avgDuration: "average duration",
  destinationDeliveryFailures: "destination delivery failures",
  deadLetterErrors: "dead-letter delivery errors",
  maxRetryAttempts: "async retry attempts",
  maxEventAge: "maximum event age",
  visibilityTimeout: "queue visibility timeout",
  functionTimeout: "function timeout",
  batchingWindow: "batching window",
  recommendedVisibilityTimeout: "recommended visibility timeout",
  recommendedBatchSize: "recommended batch size",
  mappings: "event source mappings",
  disabledMappings: "disabled mappings",
  failingMappings: "failing mappings",
  recursiveInvocationsDropped: "recursive invocations stopped",
  daysUntilDeprecation: "runtime",
};

/** A label for a key no table names: "someKeyName" → "some key name". */
const fallback = (key: string) => key.replace(/([A-Z])/g, " $1").toLowerCase();

export const evidenceLabel = (key: string): string => LABELS[key] ?? fallback(key);

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** "deprecated 908 days ago (2024-06-10)", "deprecates in 30 days (2027-01-06)", "deprecates today". */
export function formatDeprecation(days: number, date: number | null): string {
  const on = date === null ? "" : ` (${isoDay(date)})`;
  const n = Math.abs(Math.round(days));
  const unit = n === 1 ? "day" : "days";
  if (days < 0) return `deprecated ${formatInteger(n)} ${unit} ago${on}`;
  if (days === 0) return `deprecates today${on}`;
  return `deprecates in ${formatInteger(n)} ${unit}${on}`;
}

/** Hours with at most one decimal: "24 h", "4.8 h". */
const trimHours = (h: number): string => (Number.isInteger(h) ? formatInteger(h) : h.toFixed(1));

export function formatEvidenceNumber(n: EvidenceNumber): string {
  switch (n.unit) {
    case "ratio":
      return formatPercent(ratio(n.value));
    case "usd":
      return formatMoney(usdToMicro(n.value));
    case "ms":
      return formatDuration(ms(n.value));
    case "s":
      return `${formatInteger(n.value)} s`;
    case "MB":
      return formatMb(mb(n.value));
    case "bytes":
      return formatBytes(bytes(n.value));
    case "days":
      return `${formatInteger(n.value)} ${Math.abs(n.value) === 1 ? "day" : "days"}`;
    case "date":
      return isoDay(n.value);
    case "hours":
      return `${trimHours(n.value)} h`;
    case "ms/h":
      return formatLagGrowth(n.value, true);
    case "count":
    case "concurrency":
      return Number.isInteger(n.value) ? formatInteger(n.value) : n.value.toFixed(1);
  }
}

export interface EvidenceRow {
  key: string;
  label: string;
  text: string;
}

/** The flag's evidence, one row per fact. A deprecation reads as one row from its days and its date. */
export function evidenceRows(flag: Flag): EvidenceRow[] {
  const numbers = flag.evidence.numbers;
  const rows: EvidenceRow[] = [];
  for (const [key, n] of Object.entries(numbers)) {
    if (key === "deprecationDate") continue;
    const text =
      key === "daysUntilDeprecation"
        ? formatDeprecation(n.value, numbers.deprecationDate?.value ?? null)
        : formatEvidenceNumber(n);
    rows.push({ key, label: evidenceLabel(key), text });
  }
  return rows;
}

/** "peak concurrency 5 · reserved concurrency 5 · …" for a line of text. */
export const evidenceLine = (flag: Flag): string =>
  evidenceRows(flag)
    .map((r) => `${r.label} ${r.text}`)
    .join(" · ");
