/**
 * Parses a Logs Insights query into the AST (ast.ts). Grammar (the supported subset):
 *
 *   query    := command ('|' command)*
 *   command  := fields items | display items | filter expr | stats aggs ['by' items] | sort key (',' key)*
 *             | limit N | parse expr ("glob" | /regex/) ['as' name (',' name)*]
 *   expr     := or;  or := and ('or' and)*;  and := not ('and' not)*;  not := 'not' not | cmp
 *   cmp      := sum [(= != < > <= >=) sum | [not] like (/re/ | "str") | =~ /re/ | [not] in [list]]
 *   sum      := prod (('+'|'-') prod)*;  prod := unary (('*'|'/'|'%') unary)*;  unary := '-' unary | power
 *   power    := primary ['^' unary]   (right-associative and tighter than unary minus: -2 ^ 2 is -4)
 *   primary  := field | "str" | number | '(' expr ')' | fn '(' args ')' | bin '(' 5m ')'
 *
 * Invariant: anything outside the grammar throws QueryCompileError with the offending span; no command,
 * function or argument is ever skipped.
 */
import {
  AGG_FNS,
  FN_ARITY,
  SCALAR_FNS,
  type Agg,
  type AggFn,
  type Command,
  type Expr,
  type NamedExpr,
  type Query,
  type ScalarFn,
} from "./ast";
import { QueryCompileError } from "./errors";
import { Lexer, type Token } from "./lexer";

const COMMANDS = ["fields", "display", "filter", "stats", "sort", "limit", "parse"];
const BIN_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const TIME_FIELDS = new Set(["@timestamp", "@ingestionTime"]);
/** Insights' documented cap on `limit`. */
export const MAX_LIMIT = 10_000;

class Parser {
  private readonly lx: Lexer;
  constructor(private readonly src: string) {
    this.lx = new Lexer(src);
  }

  private err(msg: string, t: { start: number; end: number }): never {
    throw new QueryCompileError(msg, t.start, t.end);
  }
  private isKw(t: Token, kw: string) {
    return t.kind === "ident" && t.text.toLowerCase() === kw;
  }
  private eatOp(op: string): boolean {
    const t = this.lx.peek();
    if (t.kind === "op" && t.text === op) {
      this.lx.next();
      return true;
    }
    return false;
  }
  private expectOp(op: string): Token {
    const t = this.lx.next();
    if (t.kind !== "op" || t.text !== op)
      this.err(`expected '${op}' but found '${t.text || "end of query"}'`, t);
    return t;
  }
  private eatKw(kw: string): boolean {
    if (this.isKw(this.lx.peek(), kw)) {
      this.lx.next();
      return true;
    }
    return false;
  }

  parse(): Query {
    const commands: Command[] = [];
    for (;;) {
      commands.push(this.command());
      const t = this.lx.next();
      if (t.kind === "eof") break;
      if (!(t.kind === "op" && t.text === "|"))
        this.err(`unexpected '${t.text}': expected '|' or end of query`, t);
    }
    return { commands };
  }

  private command(): Command {
    const t = this.lx.next();
    if (t.kind !== "ident" || !COMMANDS.includes(t.text.toLowerCase())) {
      this.err(
        t.kind === "eof"
          ? "expected a command"
          : `unsupported command '${t.text}' (supported: ${COMMANDS.join(", ")})`,
        t,
      );
    }
    switch (t.text.toLowerCase()) {
      case "fields":
        return { k: "fields", items: this.namedList() };
      case "display":
        return { k: "display", items: this.namedList() };
      case "filter": {
        const start = this.lx.peek();
        const e = this.expr();
        if (!isBoolean(e))
          this.err("filter needs a condition (a comparison, like, in, or ispresent())", start);
        return { k: "filter", e };
      }
      case "stats":
        return this.stats();
      case "sort":
        return this.sort();
      case "limit": {
        const n = this.lx.next();
        const v = Number(n.text);
        if (n.kind !== "num" || !Number.isInteger(v) || v < 1 || v > MAX_LIMIT) {
          this.err(`limit needs an integer between 1 and ${MAX_LIMIT}`, n);
        }
        return { k: "limit", n: v };
      }
      default:
        return this.parseCmd();
    }
  }

  private exprWithName(): NamedExpr {
    const first = this.lx.peek();
    const e = this.expr();
    let name = this.src.slice(first.start, this.lx.pos).trim();
    if (this.eatKw("as")) {
      const n = this.lx.next();
      if (n.kind !== "ident") this.err("expected a field name after 'as'", n);
      name = n.text;
    } else if (e.k === "field") name = e.name;
    const time = e.k === "bin" || (e.k === "field" && TIME_FIELDS.has(e.name));
    return { e, name, time };
  }

  private namedList(): NamedExpr[] {
    const items = [this.exprWithName()];
    while (this.eatOp(",")) items.push(this.exprWithName());
    return items;
  }

  private stats(): Command {
    const aggs: Agg[] = [];
    do aggs.push(this.agg());
    while (this.eatOp(","));
    const by = this.eatKw("by") ? this.namedList() : [];
    return { k: "stats", aggs, by };
  }

  private agg(): Agg {
    const t = this.lx.next();
    const fn = t.text.toLowerCase();
    if (t.kind !== "ident" || !(AGG_FNS as readonly string[]).includes(fn)) {
      this.err(`unsupported aggregation '${t.text}' (supported: ${AGG_FNS.join(", ")})`, t);
    }
    this.expectOp("(");
    let arg: Expr | null = null;
    let percentile: number | undefined;
    const p = this.lx.peek();
    if (fn === "count" && p.kind === "op" && (p.text === "*" || p.text === ")")) {
      if (p.text === "*") this.lx.next();
    } else {
      arg = this.expr();
    }
    if (fn === "pct") {
      this.expectOp(",");
      const n = this.lx.next();
      percentile = Number(n.text);
      if (n.kind !== "num" || !(percentile >= 0 && percentile <= 100))
        this.err("pct needs a percentile in [0, 100]", n);
    }
    const close = this.expectOp(")");
    let name = this.src.slice(t.start, close.end);
    if (this.eatKw("as")) {
      const n = this.lx.next();
      if (n.kind !== "ident") this.err("expected a field name after 'as'", n);
      name = n.text;
    }
    return { fn: fn as AggFn, arg, name, ...(percentile !== undefined ? { percentile } : {}) };
  }

  private sort(): Command {
    const keys: { e: Expr; desc: boolean }[] = [];
    do {
      const e = this.expr();
      let desc = false;
      if (this.eatKw("desc")) desc = true;
      else this.eatKw("asc");
      keys.push({ e, desc });
    } while (this.eatOp(","));
    return { k: "sort", keys };
  }

  private parseCmd(): Command {
    const source = this.primary();
    const t = this.lx.peek();
    if (t.kind === "str") {
      this.lx.next();
      if (!t.text.includes("*")) this.err("a parse glob needs at least one '*'", t);
      const parts = t.text.split("*").map((x) => x.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
      // Non-greedy captures, except a trailing '*' which takes the rest of the line.
      const body = parts.map((p, i) =>
        i === 0 ? p : (i === parts.length - 1 && p === "" ? "(.*)" : "(.*?)") + p,
      );
      const re = new RegExp(body.join(""));
      const count = parts.length - 1;
      if (!this.eatKw("as")) this.err("a parse glob needs 'as' and one name per '*'", this.lx.peek());
      const names = this.nameList();
      if (names.length !== count) {
        this.err(`the glob has ${count} '*' but ${names.length} names follow 'as'`, t);
      }
      return { k: "parse", source, re, names };
    }
    const { re, start, end } = this.lx.regex();
    const names = [...re.source.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]!);
    if (names.length === 0) this.err("a parse regex needs named groups, e.g. (?<name>\\S+)", { start, end });
    if (this.isKw(this.lx.peek(), "as"))
      this.err("a parse regex names its fields with (?<name>…), not 'as'", this.lx.peek());
    return { k: "parse", source, re, names };
  }

  private nameList(): string[] {
    const names: string[] = [];
    do {
      const n = this.lx.next();
      if (n.kind !== "ident") this.err("expected a field name", n);
      names.push(n.text);
    } while (this.eatOp(","));
    return names;
  }

  // ---- expressions ----

  expr(): Expr {
    let l = this.and();
    while (this.eatKw("or")) l = { k: "logic", op: "or", l, r: this.and() };
    return l;
  }
  private and(): Expr {
    let l = this.not();
    while (this.eatKw("and")) l = { k: "logic", op: "and", l, r: this.not() };
    return l;
  }
  private not(): Expr {
    if (this.eatKw("not")) return { k: "not", e: this.not() };
    return this.cmp();
  }
  private cmp(): Expr {
    const l = this.sum();
    const t = this.lx.peek();
    if (t.kind === "op" && ["=", "!=", "<", ">", "<=", ">="].includes(t.text)) {
      this.lx.next();
      return { k: "cmp", op: t.text as "=", l, r: this.sum() };
    }
    if (t.kind === "op" && t.text === "=~") {
      this.lx.next();
      return { k: "like", e: l, re: this.lx.regex().re, sub: null, neg: false };
    }
    let neg = false;
    if (this.isKw(t, "not")) {
      this.lx.next();
      neg = true;
    }
    const kw = this.lx.peek();
    if (this.isKw(kw, "like")) {
      this.lx.next();
      const p = this.lx.peek();
      if (p.kind === "str") {
        this.lx.next();
        return { k: "like", e: l, re: null, sub: p.text, neg };
      }
      return { k: "like", e: l, re: this.lx.regex().re, sub: null, neg };
    }
    if (this.isKw(kw, "in")) {
      this.lx.next();
      this.expectOp("[");
      const list: Expr[] = [];
      if (!this.eatOp("]")) {
        do list.push(this.sum());
        while (this.eatOp(","));
        this.expectOp("]");
      }
      return { k: "in", e: l, list, neg };
    }
    if (neg) this.err("expected 'like' or 'in' after 'not'", kw);
    return l;
  }
  private sum(): Expr {
    let l = this.prod();
    for (;;) {
      const t = this.lx.peek();
      if (t.kind === "op" && (t.text === "+" || t.text === "-")) {
        this.lx.next();
        l = { k: "arith", op: t.text, l, r: this.prod() };
      } else return l;
    }
  }
  private prod(): Expr {
    let l = this.unary();
    for (;;) {
      const t = this.lx.peek();
      if (t.kind === "op" && (t.text === "*" || t.text === "/" || t.text === "%")) {
        this.lx.next();
        l = { k: "arith", op: t.text, l, r: this.unary() };
      } else return l;
    }
  }
  private unary(): Expr {
    if (this.eatOp("-")) return { k: "neg", e: this.unary() };
    return this.power();
  }
  private power(): Expr {
    const base = this.primary();
    return this.eatOp("^") ? { k: "arith", op: "^", l: base, r: this.unary() } : base;
  }
  private primary(): Expr {
    const t = this.lx.next();
    if (t.kind === "str") return { k: "str", v: t.text };
    if (t.kind === "num") {
      const v = Number(t.text);
      if (Number.isNaN(v)) this.err(`invalid number '${t.text}'`, t);
      return { k: "num", v };
    }
    if (t.kind === "op" && t.text === "(") {
      const e = this.expr();
      this.expectOp(")");
      return e;
    }
    if (t.kind === "ident") {
      const next = this.lx.peek();
      if (next.kind === "op" && next.text === "(" && next.start === t.end) {
        const fn = t.text.toLowerCase();
        this.lx.next();
        if (fn === "bin") {
          const d = this.lx.next();
          const m = /^(\d+(?:\.\d+)?)([a-z]*)$/.exec(d.text);
          const unit = m ? BIN_UNITS[m[2] || "s"] : undefined;
          if (d.kind !== "num" || !m || unit === undefined || Number(m[1]) <= 0) {
            this.err("bin needs a period like 30s, 5m, 1h or 1d", d);
          }
          this.expectOp(")");
          return { k: "bin", ms: Number(m![1]) * unit! };
        }
        if (!(SCALAR_FNS as readonly string[]).includes(fn)) {
          this.err(
            (AGG_FNS as readonly string[]).includes(fn)
              ? `aggregation '${t.text}' is only allowed in stats`
              : `unsupported function '${t.text}'`,
            t,
          );
        }
        const args: Expr[] = [];
        if (!this.eatOp(")")) {
          do args.push(this.expr());
          while (this.eatOp(","));
          this.expectOp(")");
        }
        const [min, max] = FN_ARITY[fn as ScalarFn];
        if (args.length < min || args.length > max) {
          const want = max === Infinity ? `at least ${min}` : min === max ? `${min}` : `${min} to ${max}`;
          this.err(`${fn} takes ${want} argument(s)`, t);
        }
        return { k: "call", fn: fn as ScalarFn, args };
      }
      const lower = t.text.toLowerCase();
      if (
        ["and", "or", "not", "by", "as", "like", "in", "asc", "desc"].includes(lower) ||
        COMMANDS.includes(lower)
      ) {
        this.err(`unexpected keyword '${t.text}'`, t);
      }
      return { k: "field", name: t.text };
    }
    this.err(t.kind === "eof" ? "unexpected end of query" : `unexpected '${t.text}'`, t);
  }
}

function isBoolean(e: Expr): boolean {
  switch (e.k) {
    case "cmp":
    case "like":
    case "in":
    case "not":
      return true;
    case "logic":
      return isBoolean(e.l) && isBoolean(e.r);
    case "call":
      return e.fn === "ispresent" || e.fn === "isempty" || e.fn === "isblank" || e.fn === "strcontains";
    default:
      return false;
  }
}

export function parseQuery(src: string): Query {
  return new Parser(src).parse();
}
