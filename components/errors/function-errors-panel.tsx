/**
 * The function page's Errors panel: its top groups over the page's range, how they reconcile with the Errors
 * metric, and a link to the Errors view narrowed to the function. Streams in behind its own Suspense boundary;
 * a store that cannot be read degrades this panel only.
 */
import Link from "next/link";
import { Suspense } from "react";
import { PanelStatusLine } from "@/components/fleet/panel-status";
import { Empty, Panel } from "@/components/ui/panel";
import type { ErrorGroupsView } from "@/lib/data/errors";
import { ErrorsTable } from "./errors-table";
import { PartialMinutesNote } from "./partial-minutes-note";
import { ReconciliationLine } from "./reconciliation-line";

const TOP = 5;

export function FunctionErrorsPanel({
  data,
  viewHref,
  linkQuery,
}: {
  data: Promise<ErrorGroupsView>;
  viewHref: string;
  linkQuery: string;
}) {
  const link = (
    <Link
      href={viewHref}
      className="text-xs text-sky-700 underline dark:text-sky-400"
      data-testid="function-errors-link"
    >
      Open in the Errors view
    </Link>
  );
  return (
    <Panel title="Errors" id="errors" actions={link}>
      <Suspense fallback={<Empty>Reading error groups from the store…</Empty>}>
        <Body data={data} linkQuery={linkQuery} />
      </Suspense>
    </Panel>
  );
}

async function Body({ data, linkQuery }: { data: Promise<ErrorGroupsView>; linkQuery: string }) {
  let view: ErrorGroupsView;
  try {
    view = await data;
  } catch (e) {
    return (
      <Empty>
        Error groups could not be read from the store: {e instanceof Error ? e.message : String(e)}
      </Empty>
    );
  }
  const shown = view.groups.slice(0, TOP);
  return (
    <div className="space-y-2" data-testid="function-errors">
      {view.windows.every((w) => w.errors === null) ? (
        <Empty>No minute of this range has its error groups collected yet: they are not known.</Empty>
      ) : shown.length === 0 ? (
        <Empty>No errors logged in the collected minutes of this range.</Empty>
      ) : (
        <ErrorsTable groups={shown} linkQuery={linkQuery} compact />
      )}
      {view.groups.length > TOP ? (
        <p className="text-xs text-zinc-500">
          {TOP} of {view.groups.length} groups shown.
        </p>
      ) : null}
      <PartialMinutesNote windows={view.windows} />
      <ReconciliationLine total={view.reconciliation.total} functions={view.reconciliation.functions} />
      <PanelStatusLine status={view.status} />
    </div>
  );
}
