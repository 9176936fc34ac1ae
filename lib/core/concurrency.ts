/**
 * Bounded fan-out: at most `limit` calls of `fn` in flight, results in input order.
 * Invariants: every item is passed to `fn` exactly once (index order of starts); at least one worker runs even
 * for `limit < 1`; the first rejection rejects the whole call (a failed batch leaves the answer incomplete).
 * Used for per-function control-plane calls (Lambda allows about 15 requests/s per account; the SDK's adaptive
 * retry absorbs the rest) and for batches of one AWS call inside adapters.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
