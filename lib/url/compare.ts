/**
 * `?compare=1d|1w`: draw the same range one day or one week earlier as a dashed series on the charts (see
 * lib/core/charts/previous-period.ts). Absent: no comparison. A bad value loads as "off" with a problem in
 * words for the control that sets it; writers keep every other param.
 */
import { COMPARE_SHIFTS, SHIFT_WORDS, type CompareShift } from "@/lib/core/charts/previous-period";
import { asQuery, param, searchOf, type UrlInput } from "./params";

export const COMPARE_KEY = "compare";

export interface LoadedCompare {
  compare: CompareShift | null;
  problem: string | null;
}

const isShift = (v: string): v is CompareShift => (COMPARE_SHIFTS as readonly string[]).includes(v);

export function loadCompare(params: UrlInput): LoadedCompare {
  const raw = param(params, COMPARE_KEY);
  if (raw === undefined || raw === "") return { compare: null, problem: null };
  if (isShift(raw)) return { compare: raw, problem: null };
  return {
    compare: null,
    problem: `Not a comparison: "${raw.slice(0, 40)}" (use ${COMPARE_SHIFTS.join(" or ")}). Showing no comparison.`,
  };
}

/** The query string `search` with `compare` set (or removed for null), every other param kept; "" when empty. */
export function withCompare(search: string, compare: CompareShift | null): string {
  const next = searchOf(search);
  if (compare === null) next.delete(COMPARE_KEY);
  else next.set(COMPARE_KEY, compare);
  return asQuery(next);
}

/** The control's choices, in order: off, then each shift, with the words a link shows. */
export const COMPARE_CHOICES: readonly { value: CompareShift | null; label: string }[] = [
  { value: null, label: "off" },
  ...COMPARE_SHIFTS.map((s) => ({ value: s, label: SHIFT_WORDS[s] })),
];
