"use client";
/**
 * For the error boundaries: asks this replica's /api/health whether its store is down, since a production
 * build hides a server error's message from the browser. Null while asking, and when the store answers or
 * the question itself fails (the boundary then shows only the generic message).
 */
import { useEffect, useState } from "react";

interface HealthAnswer {
  store?: { reachable?: boolean; error?: string };
}

export function useStoreDown(): string | null {
  const [down, setDown] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    fetch("/api/health", { cache: "no-store" })
      .then((res) => res.json() as Promise<HealthAnswer>)
      .then((health) => {
        if (live && health.store?.reachable === false) setDown(health.store.error ?? "no answer");
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return down;
}
