/**
 * Which columns of a table the user has hidden, remembered in localStorage per table.
 * Why localStorage and not the URL: hiding a column is a personal display preference. A shared link must
 * reproduce what a view shows (its sort, search and filter stay in the URL), not impose the sender's column
 * choice on the reader; and the preference should follow the user to every visit of the page, link or not.
 * Invariants: the stored text is untrusted (validated, anything else means "nothing hidden"); the server render
 * and hydration show every column, then the stored choice applies (useSyncExternalStore), so there is no
 * hydration mismatch; a storage failure (private mode, quota) keeps the choice for this page only.
 */
import { useCallback, useMemo, useSyncExternalStore } from "react";
import { z } from "zod";
import type { ColumnVisibilityState } from "@tanstack/react-table";

const Hidden = z.array(z.string().max(100)).max(100);
const listeners = new Set<() => void>();
/** Fallback when localStorage throws: the choice lasts as long as the page. */
const memory = new Map<string, string>();

const storageKey = (tableId: string) => `fleetscope.table-columns.${tableId}`;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key) ?? memory.get(key) ?? null;
  } catch {
    return memory.get(key) ?? null;
  }
}

function parseHidden(raw: string | null): string[] {
  if (raw === null) return [];
  try {
    const parsed = Hidden.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export function useColumnVisibility(
  tableId: string,
): [ColumnVisibilityState, (next: ColumnVisibilityState) => void] {
  const key = storageKey(tableId);
  const raw = useSyncExternalStore(
    subscribe,
    () => read(key),
    () => null,
  );
  const visibility = useMemo(
    () => Object.fromEntries(parseHidden(raw).map((id) => [id, false])) as ColumnVisibilityState,
    [raw],
  );
  const setVisibility = useCallback(
    (next: ColumnVisibilityState) => {
      const text = JSON.stringify(Object.keys(next).filter((id) => next[id] === false));
      memory.set(key, text);
      try {
        window.localStorage.setItem(key, text);
      } catch {
        // Kept in memory above.
      }
      listeners.forEach((l) => l());
    },
    [key],
  );
  return [visibility, setVisibility];
}
