"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useTransition } from "react";

/**
 * Set or delete query parameters on the current URL and navigate (the server re-renders with the new state);
 * `go` navigates to a whole new query string (as a lib/url writer returns it) on the same path.
 */
export function useUrlUpdate() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [pending, startTransition] = useTransition();
  const update = useCallback(
    (changes: Record<string, string | null>) => {
      const next = new URLSearchParams(searchParams.toString());
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === "") next.delete(key);
        else next.set(key, value);
      }
      const query = next.toString();
      startTransition(() => router.push(query ? `${pathname}?${query}` : pathname));
    },
    [router, pathname, searchParams],
  );
  const go = useCallback(
    (search: string) =>
      startTransition(() => router.push(search && search !== "?" ? `${pathname}${search}` : pathname)),
    [router, pathname],
  );
  return { update, go, pending, searchParams };
}
