import { Notice } from "@/components/ui/notice";
import type { TraceProblem } from "@/lib/core/traces/types";

/** What could not be read from the trace's documents, so a partial waterfall is never mistaken for a full one. */
export function TraceProblems({ problems }: { problems: readonly TraceProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <div data-testid="trace-problems">
      <Notice
        tone="warn"
        title={`Part of this trace could not be read (${problems.length} problem${problems.length > 1 ? "s" : ""})`}
      >
        <p>The waterfall shows what could be read. X-Ray marks such traces as partial.</p>
        <ul className="mt-1 list-disc space-y-0.5 pl-5">
          {problems.slice(0, 20).map((p, i) => (
            <li key={i}>
              {p.message}
              {p.path ? <span className="font-mono text-xs"> ({p.path})</span> : null}
            </li>
          ))}
        </ul>
        {problems.length > 20 ? <p>…and {problems.length - 20} more.</p> : null}
      </Notice>
    </div>
  );
}
