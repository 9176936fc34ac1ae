import { ComingSoon } from "@/components/ui/coming-soon";

export const metadata = { title: "Traces" };

export default function TracesPage() {
  return (
    <ComingSoon title="Traces">
      <p>
        Search X-Ray traces by function, status and duration over the selected range, and open one
        request&apos;s waterfall with its log lines. This view is not built yet.
      </p>
    </ComingSoon>
  );
}
