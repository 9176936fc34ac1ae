export default function AdvisorLoading() {
  return (
    <p role="status" className="text-sm text-zinc-500 dark:text-zinc-400">
      Collecting the fleet&apos;s metrics and REPORT lines for the Advisor…
    </p>
  );
}
