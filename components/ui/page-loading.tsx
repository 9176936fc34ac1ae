/** The route-level loading state: the shell is already on screen; this says what is on its way. */
export function PageLoading({ what }: { what: string }) {
  return (
    <div role="status" aria-live="polite" className="py-10 text-center text-sm text-zinc-500">
      Loading {what}…
    </div>
  );
}
