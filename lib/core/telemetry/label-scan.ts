/**
 * Reads `Label: value` fields out of a Lambda platform line by LABEL, never by position: X-Ray fields, SnapStart
 * fields, `Status:` and labels AWS adds later must not shift anything.
 *
 * Invariants:
 * - A label is recognised only at the start of the text or after whitespace, and longer labels are tried first,
 *   so `Billed Duration` is never read as `Duration`.
 * - A value ends at the next recognised label, a tab or a newline; an unknown label in its own tab field is
 *   therefore ignored, and one glued on with spaces ends up after the value, where the anchored value parsers
 *   below stop reading.
 * - The first occurrence of a label wins.
 */
import { mb, ms, type Mb, type Ms } from "../units";

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function scanLabels(text: string, labels: readonly string[]): Map<string, string> {
  const ordered = [...labels].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?:^|\\s)(${ordered.join("|")}):`, "g");
  const hits = [...text.matchAll(pattern)];
  const out = new Map<string, string>();
  hits.forEach((hit, i) => {
    const label = hit[1];
    if (label === undefined || out.has(label)) return;
    const from = hit.index + hit[0].length;
    const next = hits[i + 1]?.index ?? text.length;
    const raw = text.slice(from, next).replace(/^[ ]+/, "");
    const cut = raw.search(/[\t\n\r]/);
    out.set(label, (cut === -1 ? raw : raw.slice(0, cut)).trim());
  });
  return out;
}

const NUMBER = "(\\d+(?:\\.\\d+)?)";
const MS_VALUE = new RegExp(`^${NUMBER}\\s*ms\\b`);
const MB_VALUE = new RegExp(`^${NUMBER}\\s*MB\\b`);

/** `102.25 ms` → 102.25 ms; anything else → null. */
export function parseMsValue(value: string | undefined): Ms | null {
  const m = value === undefined ? null : MS_VALUE.exec(value);
  return m?.[1] === undefined ? null : ms(Number(m[1]));
}

/** `128 MB` → 128 MB (Lambda's MB are MiB); anything else → null. */
export function parseMbValue(value: string | undefined): Mb | null {
  const m = value === undefined ? null : MB_VALUE.exec(value);
  return m?.[1] === undefined ? null : mb(Number(m[1]));
}

/** The first whitespace-free token of a value (request ids, trace ids, versions, error types). */
export function firstToken(value: string | undefined): string | null {
  const token = value?.split(/\s+/)[0];
  return token === undefined || token === "" ? null : token;
}
