/**
 * The page's shared crosshair: the time every chart of the page draws its crosshair at, and which chart the
 * pointer (or keyboard) is on. One tiny external store per browser page (module state): every chart of the page
 * subscribes with useSyncExternalStore, so hovering one draws the crosshair on all of them at the same time.
 * On the server it is always empty (no crosshair in server HTML).
 */
import { useSyncExternalStore } from "react";

export interface Crosshair {
  /** Epoch ms of the hovered slot's start. */
  t: number;
  /** The chart the pointer or keyboard is on (it shows the readout); the others only draw the line. */
  source: string;
}

let current: Crosshair | null = null;
const listeners = new Set<() => void>();

export function setCrosshair(next: Crosshair | null): void {
  if (next?.t === current?.t && next?.source === current?.source) return;
  current = next;
  for (const l of listeners) l();
}

/** Clears the crosshair only if `source` still owns it (leaving one chart must not clear another's). */
export function clearCrosshair(source: string): void {
  if (current?.source === source) setCrosshair(null);
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export const useCrosshair = (): Crosshair | null =>
  useSyncExternalStore(
    subscribe,
    () => current,
    () => null,
  );
