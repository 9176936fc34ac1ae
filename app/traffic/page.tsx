import { ComingSoon } from "@/components/ui/coming-soon";

export const metadata = { title: "Traffic" };

export default function TrafficPage() {
  return (
    <ComingSoon title="Traffic shifting">
      <p>
        Shift an alias&apos;s weight between two published versions (validated, with optimistic locking),
        watch per-version errors and latency while traffic moves, and roll back in one click. This view is not
        built yet; aliases and their current weights are on each function&apos;s page.
      </p>
    </ComingSoon>
  );
}
