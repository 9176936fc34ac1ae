/**
 * Deployment markers: changes (published versions, alias changes, configuration changes) drawn on a chart's
 * time axis. Pure: stored records in (the inventory's configurations, the audit log's entries), ChartMarker[]
 * out.
 *
 * Invariants:
 * - Only a change the records date is a marker, and at that date: a published version at its LastModified
 *   (AWS never changes a published version, so that is when it was published), an alias change at the audit
 *   entry's time, a $LATEST change at $LATEST's LastModified. What the records cannot date is not drawn: the
 *   inventory keeps $LATEST's current configuration only, so of its changes only the newest has a date, and
 *   an alias changed outside the console leaves no audit entry (its RevisionId changes, but not when).
 * - A marker lies inside [start, end) of the window it is built for; markers come out in time order.
 * - Fleet grouping: markers of many functions falling in one slot of the chart's grid become one marker, with
 *   `count` the number of changes it stands for and a detail listing at most `cap` of them.
 */
import type { FunctionConfig } from "../lambda/types";
import type { AuditEntry } from "../traffic/audit";
import { describeRouting, weightToPercent, type RoutingTarget } from "../traffic/routing";

export type DeployMarkerKind = "version" | "alias" | "config";

export interface ChartMarker {
  /** epoch ms of the change */
  t: number;
  kind: DeployMarkerKind;
  /** short: "v8 published", "live → v8 10%", "config: memory 512 → 1024 MB", "3 changes" */
  label: string;
  /** longer text for the tooltip */
  detail?: string;
  /** 1, or how many changes one grouped (fleet) marker stands for */
  count: number;
  /** where clicking the marker goes (function page, audit entry), optional */
  href?: string;
}

export interface MarkerWindow {
  start: number;
  end: number;
}

/** What the store holds about one function's changes. */
export interface FunctionChangeRecords {
  /** The stored $LATEST configuration; null when the collector has not listed the function. */
  latest: FunctionConfig | null;
  /** Stored configurations of published versions (any order; missing ones are simply absent). */
  versions: readonly FunctionConfig[];
  /** The function's audit entries (any order, any outcome). */
  audit: readonly AuditEntry[];
  /** Where a version or config marker links (the function page); optional. */
  functionHref?: string;
  /** Where an alias marker links (the alias's traffic page); optional. */
  aliasHref?: (alias: string) => string;
}

const inside = (t: number, w: MarkerWindow) => Number.isFinite(t) && w.start <= t && t < w.end;

/** The configuration fields whose change a reader acts on, in words: "memory 512 → 1024 MB". */
export function configDiff(before: FunctionConfig, after: FunctionConfig): string[] {
  const out: string[] = [];
  // `unit` once at the end: "memory 512 → 1024 MB".
  const field = <T>(name: string, a: T, b: T, show: (v: T) => string = String, unit = "") => {
    if (a !== b) out.push(`${name} ${show(a)} → ${show(b)}${unit}`);
  };
  field("memory", before.memory, after.memory, String, " MB");
  field("timeout", before.timeout, after.timeout, String, " s");
  field("runtime", before.runtime, after.runtime, (v) => v ?? "image");
  field("architecture", before.architecture, after.architecture);
  field("ephemeral storage", before.ephemeralStorage, after.ephemeralStorage, String, " MB");
  field("tracing", before.tracing, after.tracing);
  field("log format", before.logFormat, after.logFormat);
  field("SnapStart", before.snapStart, after.snapStart, (v) => (v ? "on" : "off"));
  const layers = (c: FunctionConfig) => c.layers.map((l) => l.arn).join(",");
  if (layers(before) !== layers(after)) out.push("layers changed");
  if (before.envVarsSize !== after.envVarsSize) out.push("environment changed");
  if (before.codeSha256 !== after.codeSha256) out.push("code changed");
  return out;
}

const byVersionNumber = (a: FunctionConfig, b: FunctionConfig) => Number(a.version) - Number(b.version);

function versionMarkers(r: FunctionChangeRecords, w: MarkerWindow): ChartMarker[] {
  const versions = r.versions.filter((v) => v.version !== "$LATEST").sort(byVersionNumber);
  const out: ChartMarker[] = [];
  versions.forEach((v, i) => {
    if (!inside(v.lastModified, w)) return;
    const previous = versions[i - 1];
    // The previous version is compared only when it is the one just before (else what changed is unknown).
    const diff =
      previous && Number(previous.version) === Number(v.version) - 1 ? configDiff(previous, v) : [];
    const lines = [
      `v${v.version} published`,
      v.description ? `“${v.description}”` : null,
      diff.length > 0 ? `since v${previous?.version}: ${diff.join(", ")}` : null,
    ].filter((l): l is string => l !== null);
    out.push({
      t: v.lastModified,
      kind: "version",
      label: `v${v.version} published`,
      detail: lines.join("\n"),
      count: 1,
      ...(r.functionHref ? { href: r.functionHref } : {}),
    });
  });
  return out;
}

/**
 * $LATEST changed after the newest stored published version: an unpublished code or configuration change.
 * When $LATEST is not newer, its last change is the one a version published (or older): no marker of its own.
 */
function latestMarker(r: FunctionChangeRecords, w: MarkerWindow): ChartMarker[] {
  const latest = r.latest;
  if (!latest || !inside(latest.lastModified, w)) return [];
  const newest = [...r.versions]
    .filter((v) => v.version !== "$LATEST")
    .sort(byVersionNumber)
    .at(-1);
  if (newest && latest.lastModified <= newest.lastModified) return [];
  const diff = newest ? configDiff(newest, latest) : [];
  const config = diff.filter((d) => d !== "code changed");
  const label =
    config.length > 0
      ? `config: ${config[0]}${config.length > 1 ? ` (+${config.length - 1})` : ""}`
      : diff.length > 0
        ? "$LATEST code updated"
        : "$LATEST updated";
  return [
    {
      t: latest.lastModified,
      kind: "config",
      label,
      detail: [
        "$LATEST updated (not published)",
        diff.length > 0 ? `since v${newest?.version}: ${diff.join(", ")}` : null,
      ]
        .filter((l): l is string => l !== null)
        .join("\n"),
      count: 1,
      ...(r.functionHref ? { href: r.functionHref } : {}),
    },
  ];
}

/** "live → v8 10%": where the alias now sends its newest version's share. */
export function aliasLabel(alias: string, after: RoutingTarget): string {
  if (after.routing === null || after.routing.weight === 0) return `${alias} → v${after.primaryVersion}`;
  return `${alias} → v${after.routing.additionalVersion} ${weightToPercent(after.routing.weight)}%`;
}

const sameTarget = (a: RoutingTarget | null, b: RoutingTarget | null) =>
  a !== null &&
  b !== null &&
  a.primaryVersion === b.primaryVersion &&
  (a.routing?.additionalVersion ?? null) === (b.routing?.additionalVersion ?? null) &&
  (a.routing?.weight ?? 0) === (b.routing?.weight ?? 0);

function aliasMarkers(r: FunctionChangeRecords, w: MarkerWindow): ChartMarker[] {
  const out: ChartMarker[] = [];
  for (const e of r.audit) {
    // Only what AWS accepted moved traffic; a refused or conflicting attempt changed nothing.
    if (e.outcome !== "applied" || e.after === null || sameTarget(e.before, e.after) || !inside(e.at, w))
      continue;
    const from = e.before ? describeRouting(e.before) : "unknown";
    out.push({
      t: e.at,
      kind: "alias",
      label: aliasLabel(e.alias, e.after),
      detail: [
        `${e.alias}: ${from} → ${describeRouting(e.after)}`,
        `${e.action} by ${e.actor}${e.planId ? ` (plan ${e.planId})` : ""}`,
        e.reason ? `reason: ${e.reason}` : null,
      ]
        .filter((l): l is string => l !== null)
        .join("\n"),
      count: 1,
      ...(r.aliasHref ? { href: r.aliasHref(e.alias) } : {}),
    });
  }
  return out;
}

const inTimeOrder = (a: ChartMarker, b: ChartMarker) => a.t - b.t || a.label.localeCompare(b.label);

/** One function's markers inside the window, in time order. */
export function functionMarkers(r: FunctionChangeRecords, w: MarkerWindow): ChartMarker[] {
  return [...versionMarkers(r, w), ...latestMarker(r, w), ...aliasMarkers(r, w)].sort(inTimeOrder);
}

export interface FleetGrid extends MarkerWindow {
  /** The chart's slot length (the bucket's period), ms. */
  stepMs: number;
}

/** How many changes a grouped marker's detail lists by name. */
export const FLEET_DETAIL_CAP = 8;

const KIND_ORDER: readonly DeployMarkerKind[] = ["version", "alias", "config"];

/**
 * Many functions' markers on one fleet chart: those in one slot of the grid (slots start at `start` floored to
 * the step, as the series grid does) become one marker at the earliest change, of the kind most of them are,
 * labelled "N changes" and listing up to `cap` of them as "function: label". A slot with one change keeps it,
 * named by its function.
 */
export function fleetMarkers(
  perFunction: readonly { name: string; markers: readonly ChartMarker[] }[],
  grid: FleetGrid,
  cap = FLEET_DETAIL_CAP,
): ChartMarker[] {
  const step = Math.max(1, grid.stepMs);
  const first = Math.floor(grid.start / step) * step;
  const slots = new Map<number, { name: string; m: ChartMarker }[]>();
  for (const { name, markers } of perFunction)
    for (const m of markers) {
      if (!inside(m.t, grid)) continue;
      const slot = Math.floor((m.t - first) / step);
      slots.set(slot, [...(slots.get(slot) ?? []), { name, m }]);
    }
  const out: ChartMarker[] = [];
  for (const entries of slots.values()) {
    entries.sort((a, b) => inTimeOrder(a.m, b.m) || a.name.localeCompare(b.name));
    const head = entries[0];
    if (!head) continue;
    const count = entries.reduce((n, e) => n + e.m.count, 0);
    if (entries.length === 1) {
      out.push({ ...head.m, label: `${head.name}: ${head.m.label}`, count });
      continue;
    }
    const tally = new Map<DeployMarkerKind, number>();
    for (const e of entries) tally.set(e.m.kind, (tally.get(e.m.kind) ?? 0) + e.m.count);
    const kind = [...KIND_ORDER].sort((a, b) => (tally.get(b) ?? 0) - (tally.get(a) ?? 0))[0] ?? head.m.kind;
    const listed = entries.slice(0, cap).map((e) => `${e.name}: ${e.m.label}`);
    const rest = entries.length - listed.length;
    out.push({
      t: head.m.t,
      kind,
      label: `${count} changes`,
      detail: [...listed, ...(rest > 0 ? [`… and ${rest} more`] : [])].join("\n"),
      count,
    });
  }
  return out.sort(inTimeOrder);
}
