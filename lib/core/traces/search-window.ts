/**
 * How wide a request-id search looked, in words: `12:00–12:40 UTC (40 min)`; a window over a day long gives
 * dates too. Pure: the bounds are given, never read from the clock.
 */
export function describeSearchWindow(from: number, to: number): string {
  const minutes = Math.max(0, Math.round((to - from) / 60_000));
  const width = minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
  const long = to - from >= 86_400_000 || new Date(from).getUTCDate() !== new Date(to).getUTCDate();
  const at = (t: number) => {
    const iso = new Date(t).toISOString();
    return long ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
  };
  return `${at(from)}–${at(to)} UTC (${width})`;
}
