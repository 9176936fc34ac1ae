/**
 * Reads an OTel `exception.stacktrace` (the runtime's own text) into stack frames like X-Ray's `cause.stack`.
 * Node (`at fn (file:line:col)`), Python (`File "file", line N, in fn`) and Java (`at a.b.C.m(File.java:N)`)
 * frames are recognised; a trace in no known form keeps its lines as labels, so nothing is lost.
 *
 * Invariants: total (untrusted text, never throws), linear, at most MAX_FRAMES frames, each line read at most
 * MAX_LINE characters (regexes here have no nested quantifiers, so no line can make them backtrack badly).
 */
import type { StackFrame } from "./types";

export const MAX_FRAMES = 100;
const MAX_LINE = 1_000;

const NODE = /^at (?:([^()]*?) \()?([^()]+?):(\d+)(?::\d+)?\)?$/;
const PYTHON = /^File "([^"]+)", line (\d+)(?:, in (.+))?$/;
const JAVA = /^at ([\w$.<>]+)\(([^():]+)(?::(\d+))?\)$/;

function frame(line: string): StackFrame | null {
  let m = PYTHON.exec(line);
  if (m) return { path: m[1] ?? null, line: Number(m[2]), label: m[3] ?? null };
  m = JAVA.exec(line);
  if (m) return { path: m[2] ?? null, line: m[3] === undefined ? null : Number(m[3]), label: m[1] ?? null };
  m = NODE.exec(line);
  if (m) return { path: m[2] ?? null, line: Number(m[3]), label: m[1] ?? null };
  return null;
}

export function parseStacktrace(text: string): StackFrame[] {
  const lines = text
    .split(/\r?\n/, MAX_FRAMES * 4)
    .map((l) => l.slice(0, MAX_LINE).trim())
    .filter((l) => l !== "");
  const frames: StackFrame[] = [];
  for (const l of lines) {
    const f = frame(l);
    if (f !== null) frames.push(f);
    if (frames.length === MAX_FRAMES) break;
  }
  if (frames.length > 0) return frames;
  // No known form: keep the text, one line a frame, so the page still shows where it failed.
  return lines.slice(0, MAX_FRAMES).map((label) => ({ path: null, line: null, label }));
}
