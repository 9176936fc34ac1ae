/**
 * Tokens of X-Ray filter expressions. Strings are double-quoted; inside them `\"` and `\\` are the only escapes
 * (anything else after a backslash is rejected rather than guessed at). Words (keywords, AND/OR/NOT, operators
 * like CONTAINS, annotation keys with their dots) are one token kind; the parser gives them meaning.
 */
import { FilterError } from "./errors";

export type Token =
  | { kind: "word"; text: string; pos: number }
  | { kind: "string"; value: string; pos: number }
  | { kind: "number"; value: number; pos: number }
  | { kind: "op"; op: "=" | "!=" | "<" | "<=" | ">" | ">="; pos: number }
  | { kind: "punct"; text: "(" | ")" | "{" | "}" | "," | ":" | "!"; pos: number }
  | { kind: "end"; pos: number };

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_.]/;
const NUMBER = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/;

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === '"') {
      let value = "";
      i++;
      for (;;) {
        if (i >= input.length) throw new FilterError("unterminated string", pos);
        const d = input[i] as string;
        if (d === '"') break;
        if (d === "\\") {
          const next = input[i + 1];
          if (next !== '"' && next !== "\\") throw new FilterError("invalid escape in string", i);
          value += next;
          i += 2;
          continue;
        }
        value += d;
        i++;
      }
      i++;
      tokens.push({ kind: "string", value, pos });
      continue;
    }
    const num = NUMBER.exec(input.slice(i));
    if (num && (c !== "-" || /[\d.]/.test(input[i + 1] ?? ""))) {
      // A number glued to letters ("5s") is not a number.
      const after = input[i + num[0].length];
      if (after !== undefined && /[A-Za-z_]/.test(after)) throw new FilterError("invalid number", pos);
      tokens.push({ kind: "number", value: Number(num[0]), pos });
      i += num[0].length;
      continue;
    }
    if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < input.length && WORD_PART.test(input[j] as string)) j++;
      tokens.push({ kind: "word", text: input.slice(i, j), pos });
      i = j;
      continue;
    }
    const two = input.slice(i, i + 2);
    if (two === "!=" || two === "<=" || two === ">=") {
      tokens.push({ kind: "op", op: two, pos });
      i += 2;
      continue;
    }
    if (c === "=" || c === "<" || c === ">") {
      tokens.push({ kind: "op", op: c, pos });
      i++;
      continue;
    }
    if ("(){},:!".includes(c)) {
      tokens.push({ kind: "punct", text: c as "(" | ")" | "{" | "}" | "," | ":" | "!", pos });
      i++;
      continue;
    }
    throw new FilterError(`unexpected character '${c}'`, pos);
  }
  tokens.push({ kind: "end", pos: input.length });
  return tokens;
}
