import Link from "next/link";
import { formatDuration, formatCount } from "@/lib/core/format";
import type { SourceRow } from "@/lib/data/triggers-fleet";
import { functionHref } from "@/lib/url/function-href";
import { SourceHealthBadge } from "./source-health-badge";

const KIND_LABEL: Record<SourceRow["kind"], string> = {
  sqs: "SQS",
  kinesis: "Kinesis",
  dynamodb: "DynamoDB stream",
  kafka: "Kafka",
  mq: "Amazon MQ",
  docdb: "DocumentDB",
  other: "other",
  async: "Async",
};

const rowKey = (r: SourceRow) => `${r.account}/${r.region}/${r.functionName}/${r.uuid ?? "async"}`;

/**
 * Every source, in the order given (worst first); each links to its function's page (its account's).
 * `accounts`: the accounts read, id → Organizations name, when there are several (an Account column); null: one
 * account, no column.
 */
export function SourcesTable({
  rows,
  linkQuery,
  accounts = null,
}: {
  rows: readonly SourceRow[];
  linkQuery: string;
  accounts?: ReadonlyMap<string, string | null> | null;
}) {
  return (
    <table aria-label="Sources" className="w-full text-left text-sm">
      <thead>
        <tr className="border-b border-zinc-200 dark:border-zinc-800">
          <th className="py-1">Function</th>
          {accounts ? <th>Account</th> : null}
          <th>Region</th>
          <th>Source</th>
          <th>State</th>
          <th>Health</th>
          <th className="text-right">Batch</th>
          <th className="text-right">Iterator age</th>
          <th className="text-right">Dropped</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr
            key={rowKey(r)}
            data-testid="source-row"
            data-function={r.functionName}
            data-account={r.account}
            data-region={r.region}
            data-health={r.judgement.health}
            className="border-b border-zinc-100 align-top dark:border-zinc-900"
          >
            <td className="py-1">
              <Link
                href={functionHref({ account: r.account, region: r.region, name: r.functionName }, linkQuery)}
                className="text-sky-700 hover:underline"
              >
                {r.functionName}
              </Link>
              {r.qualifier ? <span className="text-zinc-500">:{r.qualifier}</span> : null}
            </td>
            {accounts ? (
              <td className="font-mono text-xs" data-testid="source-account">
                {r.account}
                {accounts.get(r.account) ? (
                  <span className="block font-sans text-zinc-500">{accounts.get(r.account)}</span>
                ) : null}
              </td>
            ) : null}
            <td>{r.region}</td>
            <td>
              <span className="text-zinc-500">{KIND_LABEL[r.kind]}</span> {r.sourceName}
            </td>
            <td>{r.state}</td>
            <td className="max-w-md">
              <SourceHealthBadge health={r.judgement.health} />
              <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">{r.judgement.evidence}</p>
            </td>
            <td className="text-right tabular-nums">{r.batchSize ?? "—"}</td>
            <td className="text-right tabular-nums">{formatDuration(r.judgement.latestIteratorAgeMs)}</td>
            <td className="text-right tabular-nums">{formatCount(r.judgement.dropped)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
