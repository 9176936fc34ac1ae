import Link from "next/link";
import { Facts } from "@/components/ui/facts";
import { Suspense, type ReactNode } from "react";
import { formatBytes, formatDateTime, formatNumber, formatWeight } from "@/lib/core/format";
import { bytes, ratio } from "@/lib/core/units";
import { Notice } from "@/components/ui/notice";
import { Empty, Panel } from "@/components/ui/panel";
import type { Alias, FunctionConfig } from "@/lib/core/lambda/types";
import type { LimitRow } from "@/lib/core/limits";
import type { FunctionDetail, FunctionHead } from "@/lib/data/functions";
import type { FunctionTriggers } from "@/lib/data/triggers";
import { LimitsPanelBody } from "./limits-panel";
import { TRIGGERS_TITLE, TriggersPanel } from "./triggers-panel";

const th =
  "px-3 py-1.5 text-left text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400";
const td = "px-3 py-1.5 align-top";

/**
 * One function: configuration, limits, aliases, versions, concurrency, tags. All AWS text renders as text.
 * What `head` holds (the collector's inventory, or a live read already done) renders at once; the panels that
 * wait on the rest of the detail (live versions and tags, account settings) stream in behind their own
 * Suspense boundary, so a slow or failing AWS call holds back only them.
 * `measuredLimits`: the limits measured over the page's range (lib/data/function-limits.ts), streamed in.
 * `triggers`: how the function is invoked (lib/data/triggers.ts), read live and streamed in.
 * `errors`: the function's Errors panel (components/errors/function-errors-panel.tsx), streamed in on its own.
 * `mapHref`: its service map over the page's own range (the page builds it from its URL state).
 */
export function FunctionDetailView({
  head,
  backHref,
  measuredLimits,
  triggers,
  errors,
  mapHref,
  accountName = null,
}: {
  head: FunctionHead;
  /** The function's account's Organizations name, shown with its id (null: the id alone). */
  accountName?: string | null;
  backHref: string;
  measuredLimits?: Promise<LimitRow[]>;
  triggers?: Promise<FunctionTriggers>;
  errors?: ReactNode;
  mapHref?: string;
}) {
  const { config, detail } = head;
  return (
    <div className="space-y-4">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-zinc-500 dark:text-zinc-400">
          <Link href={backHref} className="hover:underline">
            Functions
          </Link>{" "}
          / <span className="font-mono">{head.region}</span>
        </nav>
        <p
          className="mt-1 font-mono text-xs text-zinc-500 dark:text-zinc-400"
          data-testid="function-account"
          data-account={head.accountId}
        >
          Account {head.accountId}
          {accountName ? ` (${accountName})` : ""}
        </p>
        <h1 className="mt-1 font-mono text-xl font-semibold">{config.name}</h1>
        {config.description ? (
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-300">{config.description}</p>
        ) : null}
        <p className="mt-1 break-all font-mono text-xs text-zinc-500">{config.arn}</p>
        <Link
          href={mapHref ?? `/map?${new URLSearchParams({ region: head.region, function: config.name })}`}
          className="mt-1 inline-block text-xs text-sky-700 underline dark:text-sky-400"
          data-testid="function-service-map"
        >
          Service map
        </Link>
        <DetailSource source={head.source} />
      </div>

      <div className="grid gap-4 lg:grid-cols-2">
        <Panel title="Configuration ($LATEST)" id="configuration">
          <ConfigList config={config} />
        </Panel>
        <Suspense fallback={<PanelLoading title="Limits used" />}>
          <LimitsPanel detail={detail} measured={measuredLimits} />
        </Suspense>
      </div>

      {triggers ? (
        <Suspense fallback={<PanelLoading title={TRIGGERS_TITLE} />}>
          <TriggersPanel triggers={triggers} />
        </Suspense>
      ) : null}

      {errors}

      <Panel title="Aliases" id="aliases">
        <AliasesTable aliases={head.aliases} />
      </Panel>

      <div className="grid gap-4 lg:grid-cols-2">
        <Suspense fallback={<PanelLoading title="Concurrency" />}>
          <ConcurrencyPanel detail={detail} />
        </Suspense>
        <Suspense fallback={<PanelLoading title="Tags" />}>
          <TagsPanel detail={detail} />
        </Suspense>
      </div>

      <Suspense fallback={<PanelLoading title="Published versions" />}>
        <VersionsPanel detail={detail} />
      </Suspense>
    </div>
  );
}

/** A panel whose content is on its way (fixed height, so the page does not jump when it arrives). */
function PanelLoading({ title }: { title: string }) {
  return (
    <Panel title={title}>
      <p role="status" aria-live="polite" className="h-16 text-sm text-zinc-500 dark:text-zinc-400">
        Loading {title.toLowerCase()}…
      </p>
    </Panel>
  );
}

async function LimitsPanel({
  detail,
  measured,
}: {
  detail: Promise<FunctionDetail>;
  measured?: Promise<LimitRow[]>;
}) {
  const d = await detail;
  return (
    <Panel title="Limits used" id="limits">
      <LimitsPanelBody
        rows={d.limits}
        measured={measured}
        accountError={d.account.ok ? undefined : d.account.error}
      />
    </Panel>
  );
}

async function ConcurrencyPanel({ detail }: { detail: Promise<FunctionDetail> }) {
  return (
    <Panel title="Concurrency" id="concurrency">
      <Concurrency detail={await detail} />
    </Panel>
  );
}

async function TagsPanel({ detail }: { detail: Promise<FunctionDetail> }) {
  const { tags } = await detail;
  return (
    <Panel title="Tags" id="tags">
      {tags.ok ? (
        <Tags tags={tags.value} />
      ) : (
        <Notice tone="warn" title={`Tags unavailable (${tags.error.code})`}>
          {tags.error.message}
        </Notice>
      )}
    </Panel>
  );
}

async function VersionsPanel({ detail }: { detail: Promise<FunctionDetail> }) {
  const { versions, versionsError } = await detail;
  if (versionsError)
    return (
      <Panel title="Published versions" id="versions">
        <Notice tone="warn" title={`Versions unavailable: ${versionsError.code}`}>
          {versionsError.message}
        </Notice>
      </Panel>
    );
  return (
    <Panel title={`Published versions (${versions.length})`} id="versions">
      {versions.length === 0 ? (
        <Empty>No published versions: only $LATEST exists.</Empty>
      ) : (
        <div className="-m-4 overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="border-b border-zinc-200 dark:border-zinc-800">
              <tr>
                <th className={th}>Version</th>
                <th className={th}>Description</th>
                <th className={th}>Code SHA-256</th>
                <th className={th}>Published</th>
                <th className={th}>Runtime</th>
                <th className={`${th} text-right`}>Memory</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {versions.map((v) => (
                <tr key={v.version}>
                  <td className={`${td} font-mono font-medium`}>{v.version}</td>
                  <td className={td}>{v.description || <span className="text-zinc-400">—</span>}</td>
                  <td className={`${td} font-mono text-xs`} title={v.codeSha256}>
                    {v.codeSha256.slice(0, 12)}…
                  </td>
                  <td className={`${td} tabular-nums`}>{formatDateTime(v.lastModified)}</td>
                  <td className={td}>{v.runtime ?? "image"}</td>
                  <td className={`${td} text-right tabular-nums`}>{formatNumber(v.memory)} MB</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}

const utc = formatDateTime;

/** Where the configuration comes from: the collector's inventory (and how old it is) or AWS. */
function DetailSource({ source }: { source: FunctionDetail["source"] }) {
  return (
    <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400" data-testid="detail-source">
      {source.kind === "live"
        ? "Read live from AWS (the collector has not listed this function yet)."
        : `Configuration, aliases and concurrency from the collector's inventory (listed ${utc(source.listedAt)}${
            source.detailsReadAt === null ? "" : `, details read ${utc(source.detailsReadAt)}`
          }); versions and tags read live.`}
    </p>
  );
}

function ConfigList({ config: c }: { config: FunctionConfig }) {
  const items: [string, ReactNode][] = [
    ["Runtime", c.runtime ?? "container image"],
    ["Package", c.packageType],
    ["Architecture", c.architecture],
    ["Memory", `${formatNumber(c.memory)} MB`],
    ["Timeout", `${formatNumber(c.timeout)} s`],
    ["Ephemeral storage", `${formatNumber(c.ephemeralStorage)} MB`],
    ["Code size", formatBytes(bytes(c.codeSize))],
    [
      "Code SHA-256",
      <span key="sha" className="break-all font-mono text-xs">
        {c.codeSha256}
      </span>,
    ],
    ["Environment variables", formatBytes(bytes(c.envVarsSize))],
    [
      "Layers",
      c.layers.length === 0
        ? "none"
        : c.layers
            .map((l) => `${l.arn.split(":").slice(-2).join(":")} (${formatBytes(bytes(l.codeSize))})`)
            .join(", "),
    ],
    [
      "Log group",
      <span key="lg" className="font-mono text-xs">
        {c.logGroup}
      </span>,
    ],
    ["Log format", c.logFormat],
    ["Tracing", c.tracing],
    ["SnapStart", c.snapStart ? "on (published versions)" : "off"],
    ["Last modified", formatDateTime(c.lastModified)],
  ];
  return <Facts items={items} />;
}

function AliasesTable({ aliases }: { aliases: Alias[] }) {
  if (aliases.length === 0) return <Empty>No aliases.</Empty>;
  return (
    <div className="-m-4 overflow-x-auto">
      <table className="w-full text-sm" aria-label="Aliases">
        <thead className="border-b border-zinc-200 dark:border-zinc-800">
          <tr>
            <th className={th}>Alias</th>
            <th className={th}>Routing</th>
            <th className={`${th} w-1/3`}>Traffic split</th>
            <th className={th}>Description</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {aliases.map((a) => {
            const extra = a.routing?.weight ?? 0;
            return (
              <tr key={a.name} data-alias={a.name}>
                <td className={`${td} font-mono font-medium`}>{a.name}</td>
                <td className={`${td} font-mono tabular-nums`} data-testid="alias-routing">
                  <span data-version={a.functionVersion}>
                    v{a.functionVersion} {formatWeight(ratio(1 - extra))}
                  </span>
                  {a.routing ? (
                    <span data-version={a.routing.additionalVersion}>
                      {" "}
                      / v{a.routing.additionalVersion} {formatWeight(ratio(extra))}
                    </span>
                  ) : null}
                </td>
                <td className={td}>
                  <div
                    className="flex h-2 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800"
                    aria-hidden
                  >
                    <div className="bg-sky-500" style={{ width: `${(1 - extra) * 100}%` }} />
                    <div className="bg-violet-500" style={{ width: `${extra * 100}%` }} />
                  </div>
                </td>
                <td className={`${td} text-zinc-600 dark:text-zinc-300`}>{a.description || "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Concurrency({ detail }: { detail: FunctionDetail }) {
  const account = detail.account.ok ? detail.account.value : null;
  return (
    <div className="space-y-3 text-sm">
      <p>
        <span className="text-zinc-500 dark:text-zinc-400">Reserved: </span>
        {detail.reservedConcurrency === null ? (
          <>
            none (draws from the account&apos;s unreserved pool
            {account ? ` of ${formatNumber(account.unreservedConcurrentExecutions)}` : ""})
          </>
        ) : (
          <span className="font-medium tabular-nums">{formatNumber(detail.reservedConcurrency)}</span>
        )}
      </p>
      {!detail.provisioned.ok ? (
        <Notice tone="warn" title={`Provisioned concurrency unavailable (${detail.provisioned.error.code})`}>
          {detail.provisioned.error.message}
        </Notice>
      ) : detail.provisioned.value.length === 0 ? (
        <p className="text-zinc-500 dark:text-zinc-400">No provisioned concurrency.</p>
      ) : (
        <table className="w-full text-sm" aria-label="Provisioned concurrency">
          <thead>
            <tr>
              <th className={`${th} pl-0`}>Qualifier</th>
              <th className={`${th} text-right`}>Requested</th>
              <th className={`${th} text-right`}>Allocated</th>
              <th className={`${th} text-right`}>Available</th>
              <th className={th}>Status</th>
            </tr>
          </thead>
          <tbody>
            {detail.provisioned.value.map((p) => (
              <tr key={p.qualifier}>
                <td className={`${td} pl-0 font-mono`}>{p.qualifier}</td>
                <td className={`${td} text-right tabular-nums`}>{formatNumber(p.requested)}</td>
                <td className={`${td} text-right tabular-nums`}>{formatNumber(p.allocated)}</td>
                <td className={`${td} text-right tabular-nums`}>{formatNumber(p.available)}</td>
                <td className={td}>{p.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Tags({ tags }: { tags: Record<string, string> }) {
  const entries = Object.entries(tags).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <Empty>No tags.</Empty>;
  return (
    <dl className="grid grid-cols-[minmax(6rem,auto)_1fr] gap-x-4 gap-y-1 text-sm">
      {entries.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{k}</dt>
          <dd className="break-all font-mono text-xs">{v}</dd>
        </div>
      ))}
    </dl>
  );
}
