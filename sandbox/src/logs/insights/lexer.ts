/**
 * Tokens of the Logs Insights language. Regex literals (/…/) are ambiguous with division, so the lexer reads
 * them only when the parser asks (after `like`, `=~`, or as a parse pattern).
 *
 * Invariant: every character of the query is either consumed by a token, whitespace, or a `#` comment; any
 * other character is a compile error at its offset.
 */
import { QueryCompileError } from "./errors";

export type TokenKind = "ident" | "str" | "num" | "op" | "eof";

export interface Token {
  kind: TokenKind;
  text: string; // identifier/op text, string contents, number source (may carry a unit: "5m")
  start: number;
  end: number;
}

const OPS = [
  "<=",
  ">=",
  "!=",
  "=~",
  "|",
  ",",
  "(",
  ")",
  "[",
  "]",
  "=",
  "<",
  ">",
  "+",
  "-",
  "*",
  "/",
  "%",
  "^",
];
const IDENT_START = /[A-Za-z_@$]/;
const IDENT_PART = /[A-Za-z0-9_@$.\-]/;

export class Lexer {
  pos = 0;
  constructor(readonly src: string) {}

  private skip() {
    for (;;) {
      while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
      if (this.src[this.pos] === "#") {
        while (this.pos < this.src.length && this.src[this.pos] !== "\n") this.pos++;
        continue;
      }
      return;
    }
  }

  peek(): Token {
    const save = this.pos;
    const t = this.next();
    this.pos = save;
    return t;
  }

  next(): Token {
    this.skip();
    const start = this.pos;
    const s = this.src;
    if (start >= s.length) return { kind: "eof", text: "", start, end: start };
    const c = s[start]!;
    if (c === '"' || c === "'") {
      let i = start + 1;
      let text = "";
      while (i < s.length && s[i] !== c) {
        if (s[i] === "\\" && i + 1 < s.length) {
          const n = s[i + 1]!;
          text += n === "n" ? "\n" : n === "t" ? "\t" : n;
          i += 2;
        } else text += s[i++];
      }
      if (i >= s.length) throw new QueryCompileError("unterminated string literal", start, s.length);
      this.pos = i + 1;
      return { kind: "str", text, start, end: this.pos };
    }
    if (c === "`") {
      const close = s.indexOf("`", start + 1);
      if (close < 0) throw new QueryCompileError("unterminated `quoted` field name", start, s.length);
      this.pos = close + 1;
      return { kind: "ident", text: s.slice(start + 1, close), start, end: this.pos };
    }
    if (/[0-9]/.test(c)) {
      const m = /^\d+(\.\d+)?([eE][+-]?\d+)?[A-Za-z]*/.exec(s.slice(start))!;
      this.pos = start + m[0].length;
      return { kind: "num", text: m[0], start, end: this.pos };
    }
    if (IDENT_START.test(c)) {
      let i = start + 1;
      // A '-' belongs to an identifier only when followed by a letter (kebab-case JSON keys), never before a digit.
      while (i < s.length && IDENT_PART.test(s[i]!) && !(s[i] === "-" && !/[A-Za-z_]/.test(s[i + 1] ?? "")))
        i++;
      this.pos = i;
      return { kind: "ident", text: s.slice(start, i), start, end: i };
    }
    for (const op of OPS) {
      if (s.startsWith(op, start)) {
        this.pos = start + op.length;
        return { kind: "op", text: op, start, end: this.pos };
      }
    }
    throw new QueryCompileError(`unexpected character '${c}'`, start, start + 1);
  }

  /** Reads `/regex/flags` at the current position, translating Insights' inline `(?i)` to a JS flag. */
  regex(): { re: RegExp; start: number; end: number } {
    this.skip();
    const start = this.pos;
    const s = this.src;
    if (s[start] !== "/") throw new QueryCompileError("expected a /regular expression/", start, start + 1);
    let i = start + 1;
    let body = "";
    while (i < s.length && s[i] !== "/") {
      if (s[i] === "\\" && s[i + 1] === "/") {
        body += "/";
        i += 2;
      } else body += s[i++];
    }
    if (i >= s.length) throw new QueryCompileError("unterminated regular expression", start, s.length);
    i++;
    let flags = "";
    while (i < s.length && /[a-z]/.test(s[i]!)) flags += s[i++];
    if (body.startsWith("(?i)")) {
      body = body.slice(4);
      flags += "i";
    }
    this.pos = i;
    try {
      return { re: new RegExp(body, flags.replace(/[^imsu]/g, "")), start, end: i };
    } catch (e) {
      throw new QueryCompileError(`invalid regular expression: ${(e as Error).message}`, start, i);
    }
  }
}
