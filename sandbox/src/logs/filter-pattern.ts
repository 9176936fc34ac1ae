/**
 * CloudWatch Logs filter patterns (FilterLogEvents `filterPattern`), the subset the sandbox supports:
 *
 *   ""                         every event
 *   ERROR "Task timed out"     all terms, case-sensitive (unquoted terms: letters, digits and _ . : / @ -)
 *   ?ERROR ?WARN               any of the terms
 *   ERROR -Exiting             terms, minus events with an excluded term
 *   { $.a = "x*" && ($.b > 3 || $.c NOT EXISTS) }   JSON: = != < > <= >=, IS NULL/TRUE/FALSE, NOT EXISTS
 *
 * Invariants: parsing is total (a pattern compiles to a predicate or throws InvalidFilterPatternError; there
 * is no "ignore what we do not understand" path); a JSON pattern only matches events whose whole message is
 * a JSON object; numeric operators only match numeric values.
 */

export class InvalidFilterPatternError extends Error {}

export type EventPredicate = (message: string) => boolean;

const fail = (why: string): never => {
  throw new InvalidFilterPatternError(`Invalid filter pattern: ${why}`);
};

// ---- term patterns -------------------------------------------------------------------------------------

interface Term {
  mode: "all" | "any" | "none";
  text: string;
}

const BARE_TERM = /^[A-Za-z0-9_][A-Za-z0-9_.:/@-]*$/;

function readTerms(src: string): Term[] {
  const terms: Term[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    let mode: Term["mode"] = "all";
    if (c === "?" || c === "-") {
      mode = c === "?" ? "any" : "none";
      i++;
      if (i >= src.length || src[i] === " ") fail(`'${c}' must be followed by a term`);
    }
    if (src[i] === '"') {
      let text = "";
      i++;
      for (;;) {
        if (i >= src.length) fail("unterminated quoted term");
        const ch = src[i]!;
        if (ch === "\\" && i + 1 < src.length) {
          text += src[i + 1]!;
          i += 2;
        } else if (ch === '"') {
          i++;
          break;
        } else {
          text += ch;
          i++;
        }
      }
      if (i < src.length && src[i] !== " " && src[i] !== "\t")
        fail("a quoted term must be followed by a space");
      if (text === "") fail("empty quoted term");
      terms.push({ mode, text });
      continue;
    }
    let j = i;
    while (j < src.length && src[j] !== " " && src[j] !== "\t") j++;
    const word = src.slice(i, j);
    if (!BARE_TERM.test(word)) {
      if (word.startsWith("[")) fail("space-delimited ([…]) patterns are not supported");
      if (word.startsWith("%")) fail("regular expression (%…%) patterns are not supported");
      fail(`invalid character(s) in term '${word}'; quote terms with special characters`);
    }
    terms.push({ mode, text: word });
    i = j;
  }
  return terms;
}

function compileTerms(src: string): EventPredicate {
  const terms = readTerms(src);
  const any = terms.filter((t) => t.mode === "any").map((t) => t.text);
  const all = terms.filter((t) => t.mode === "all").map((t) => t.text);
  const none = terms.filter((t) => t.mode === "none").map((t) => t.text);
  if (any.length > 0 && (all.length > 0 || none.length > 0)) {
    fail("'?term' alternatives cannot be combined with required or excluded terms");
  }
  if (any.length > 0) return (m) => any.some((t) => m.includes(t));
  return (m) => all.every((t) => m.includes(t)) && !none.some((t) => m.includes(t));
}

// ---- JSON patterns -------------------------------------------------------------------------------------

type Path = (string | number)[];
type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };
type Cmp = "=" | "!=" | "<" | ">" | "<=" | ">=";
type Literal = { kind: "string"; text: string } | { kind: "number"; value: number };
type JsonExpr =
  | { k: "and" | "or"; l: JsonExpr; r: JsonExpr }
  | { k: "cmp"; path: Path; op: Cmp; value: Literal }
  | { k: "is"; path: Path; what: "NULL" | "TRUE" | "FALSE" }
  | { k: "notExists"; path: Path };

class JsonPatternParser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): JsonExpr {
    this.expect("{");
    const e = this.or();
    this.expect("}");
    this.ws();
    if (this.i < this.src.length) fail(`unexpected '${this.src.slice(this.i)}' after '}'`);
    return e;
  }

  private ws() {
    while (this.i < this.src.length && /\s/.test(this.src[this.i]!)) this.i++;
  }
  private peek(s: string): boolean {
    this.ws();
    return this.src.startsWith(s, this.i);
  }
  private expect(s: string) {
    if (!this.peek(s)) fail(`expected '${s}' at position ${this.i}`);
    this.i += s.length;
  }
  private or(): JsonExpr {
    let l = this.and();
    while (this.peek("||")) {
      this.i += 2;
      l = { k: "or", l, r: this.and() };
    }
    return l;
  }
  private and(): JsonExpr {
    let l = this.unary();
    while (this.peek("&&")) {
      this.i += 2;
      l = { k: "and", l, r: this.unary() };
    }
    return l;
  }
  private unary(): JsonExpr {
    if (this.peek("(")) {
      this.i++;
      const e = this.or();
      this.expect(")");
      return e;
    }
    const path = this.selector();
    this.ws();
    const rest = this.src.slice(this.i);
    const kw = /^(IS\s+(NULL|TRUE|FALSE)|NOT\s+EXISTS)\b/.exec(rest);
    if (kw) {
      this.i += kw[0].length;
      return kw[2] ? { k: "is", path, what: kw[2] as "NULL" | "TRUE" | "FALSE" } : { k: "notExists", path };
    }
    const op = /^(!=|<=|>=|=|<|>)/.exec(rest)?.[1] as Cmp | undefined;
    if (!op) fail(`expected a comparison operator at position ${this.i}`);
    this.i += op!.length;
    const value = this.literal();
    if (op !== "=" && op !== "!=" && value.kind !== "number") fail(`'${op}' needs a numeric value`);
    return { k: "cmp", path, op: op!, value };
  }
  private selector(): Path {
    this.ws();
    if (this.src[this.i] !== "$") fail(`expected a selector like $.field at position ${this.i}`);
    this.i++;
    const path: Path = [];
    for (;;) {
      const rest = this.src.slice(this.i);
      const field = /^\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(rest);
      const index = /^\[(\d+)\]/.exec(rest);
      if (field) {
        path.push(field[1]!);
        this.i += field[0].length;
      } else if (index) {
        path.push(Number(index[1]));
        this.i += index[0].length;
      } else break;
    }
    if (path.length === 0) fail("a selector needs at least one field, e.g. $.level");
    return path;
  }
  private literal(): Literal {
    this.ws();
    const rest = this.src.slice(this.i);
    if (rest.startsWith('"')) {
      const m = /^"((?:[^"\\]|\\.)*)"/.exec(rest);
      if (!m) fail("unterminated string value");
      this.i += m![0].length;
      return { kind: "string", text: m![1]!.replace(/\\(.)/g, "$1") };
    }
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?(?![A-Za-z0-9_.*])/.exec(rest);
    if (num) {
      this.i += num[0].length;
      return { kind: "number", value: Number(num[0]) };
    }
    const bare = /^[A-Za-z0-9_*][A-Za-z0-9_.:/@*-]*/.exec(rest);
    if (!bare) fail(`expected a value at position ${this.i}`);
    this.i += bare![0].length;
    return { kind: "string", text: bare![0] };
  }
}

function lookup(doc: JsonValue, path: Path): { found: boolean; value?: JsonValue } {
  let cur: JsonValue = doc;
  for (const step of path) {
    if (typeof step === "number") {
      if (!Array.isArray(cur) || step >= cur.length) return { found: false };
      cur = cur[step]!;
    } else {
      if (cur === null || typeof cur !== "object" || Array.isArray(cur) || !(step in cur))
        return { found: false };
      cur = cur[step]!;
    }
  }
  return { found: true, value: cur };
}

const globCache = new Map<string, RegExp>();
function globMatch(glob: string, s: string): boolean {
  if (!glob.includes("*")) return glob === s;
  let re = globCache.get(glob);
  if (!re) {
    re = new RegExp(
      `^${glob
        .split("*")
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
      "s",
    );
    globCache.set(glob, re);
  }
  return re.test(s);
}

function evalJson(e: JsonExpr, doc: JsonValue): boolean {
  switch (e.k) {
    case "and":
      return evalJson(e.l, doc) && evalJson(e.r, doc);
    case "or":
      return evalJson(e.l, doc) || evalJson(e.r, doc);
    case "notExists":
      return !lookup(doc, e.path).found;
    case "is": {
      const { found, value } = lookup(doc, e.path);
      if (!found) return false;
      return e.what === "NULL" ? value === null : value === (e.what === "TRUE");
    }
    case "cmp": {
      const { found, value } = lookup(doc, e.path);
      if (!found || value === null || typeof value === "object") return false;
      if (e.value.kind === "number") {
        const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
        if (value === "" || Number.isNaN(n)) return false;
        const v = e.value.value;
        switch (e.op) {
          case "=":
            return n === v;
          case "!=":
            return n !== v;
          case "<":
            return n < v;
          case ">":
            return n > v;
          case "<=":
            return n <= v;
          case ">=":
            return n >= v;
        }
      }
      const matched = globMatch(e.value.text, String(value));
      return e.op === "=" ? matched : !matched;
    }
  }
}

function compileJson(src: string): EventPredicate {
  const expr = new JsonPatternParser(src).parse();
  return (message) => {
    const t = message.trim();
    if (!t.startsWith("{")) return false;
    let doc: JsonValue;
    try {
      doc = JSON.parse(t) as JsonValue;
    } catch {
      return false;
    }
    return doc !== null && typeof doc === "object" && !Array.isArray(doc) && evalJson(expr, doc);
  };
}

/** The terms every matching event must contain (none for JSON patterns and `?a ?b` alternatives). */
export function requiredTerms(pattern: string | undefined): string[] {
  const src = (pattern ?? "").trim();
  if (src === "" || src.startsWith("{")) return [];
  return readTerms(src)
    .filter((t) => t.mode === "all")
    .map((t) => t.text);
}

/** Compiles a filter pattern; throws InvalidFilterPatternError for anything outside the supported subset. */
export function compileFilterPattern(pattern: string | undefined): EventPredicate {
  const src = (pattern ?? "").trim();
  if (src === "") return () => true;
  if (src.startsWith("{")) return compileJson(src);
  return compileTerms(src);
}
