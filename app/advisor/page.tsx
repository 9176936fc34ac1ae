import { ComingSoon } from "@/components/ui/coming-soon";

export const metadata = { title: "Advisor" };

export default function AdvisorPage() {
  return (
    <ComingSoon title="Advisor">
      <p>
        Flags for functions that are over-provisioned or close to a limit, each with its evidence, a
        recommendation and the money at stake. This view is not built yet; limits used are on each
        function&apos;s page.
      </p>
    </ComingSoon>
  );
}
