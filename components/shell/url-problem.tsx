/** What is wrong with a URL parameter the shell corrected (regions, time range), said next to its control. */
export function UrlProblem({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="max-w-xs text-xs text-rose-600 dark:text-rose-400">
      {message}
    </p>
  );
}
