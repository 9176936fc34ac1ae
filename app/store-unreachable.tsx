/**
 * The banner every page carries while this replica cannot reach its store (the layout decides from a reading a
 * few seconds old, lib/data/health.ts). Pages still render what they can without it; changes need the store
 * (sessions, plans, the audit log), so they are off until it answers.
 */
import { Notice } from "@/components/ui/notice";

export function StoreUnreachableBanner({ error }: { error: string }) {
  return (
    <div className="px-4 pt-4">
      <Notice
        tone="error"
        title="The store is unreachable — pages show what they can; traffic changes are paused"
      >
        <p className="break-words font-mono text-xs">{error}</p>
      </Notice>
    </div>
  );
}
