/**
 * Recursive-descent parser for the X-Ray filter-expression subset the sandbox supports:
 *
 *   expr     := and (OR and)*                      OR / AND / NOT in any letter case
 *   and      := unary (AND unary)*
 *   unary    := ("!" | NOT) unary | primary
 *   primary  := "(" expr ")"
 *             | BOOL [(= | !=) (true | false)]          BOOL: ok error fault throttle partial inferred
 *                                                       (and root, only in a service()/edge() body)
 *             | (responsetime | duration | http.status) cmp NUMBER        cmp: = != < <= > >=
 *             | STR [(= | != | CONTAINS | BEGINSWITH | ENDSWITH) STRING]  STR: http.url http.method resource.arn
 *             | annotation.KEY [cmp NUMBER | strop STRING | (= | !=) (true | false)]
 *             | service "(" [selector] ")" ["{" expr "}"]
 *             | edge "(" selector "," selector ")" ["{" expr "}"]
 *   selector := STRING | id "(" (name | type) ":" STRING ["," (name | type) ":" STRING] ")"
 *
 * Invariants: the whole input is consumed or a FilterError names the first offending position; nothing outside
 * this grammar parses (an unsupported keyword is an error, never "match everything"); service()/edge() bodies
 * cannot nest another service()/edge(). Precedence: NOT > AND > OR. A bare string keyword or annotation is true
 * when the field is set. Keywords the guide documents but the sandbox does not evaluate (user, name, type,
 * message, http.useragent, http.clientip, availabilityzone, instance.id, index, coverage, first, last, remote,
 * group.name, group.arn, json, rootcause.*) are refused like any unknown keyword: InvalidRequestException.
 * Guide: https://docs.aws.amazon.com/xray/latest/devguide/xray-console-filters.html
 */
import type {
  BooleanKeyword,
  CompareOp,
  FilterExpr,
  NumberKeyword,
  ServiceSelector,
  StringKeyword,
  StringOp,
} from "./ast";
import { FilterError } from "./errors";
import { tokenize, type Token } from "./lexer";

const BOOLEAN_KEYWORDS: readonly BooleanKeyword[] = [
  "ok",
  "error",
  "fault",
  "throttle",
  "partial",
  "inferred",
  "root",
];
const NUMBER_KEYWORDS: readonly NumberKeyword[] = ["responsetime", "duration", "http.status"];
const STRING_KEYWORDS: readonly StringKeyword[] = ["http.url", "http.method", "resource.arn"];
const STRING_OPS: readonly string[] = ["CONTAINS", "BEGINSWITH", "ENDSWITH"];
const ANNOTATION_KEY = /^[A-Za-z0-9_]+$/;
/** Longest expression X-Ray accepts (GetTraceSummaries FilterExpression). */
export const MAX_FILTER_LENGTH = 2000;

export function parseFilter(input: string): FilterExpr {
  if (input.length > MAX_FILTER_LENGTH) {
    throw new FilterError(`longer than ${MAX_FILTER_LENGTH} characters`, MAX_FILTER_LENGTH);
  }
  const p = new Parser(tokenize(input));
  if (p.peek().kind === "end") throw new FilterError("empty expression", 0);
  const expr = p.expr(false);
  const rest = p.peek();
  if (rest.kind !== "end") throw new FilterError(`unexpected ${describe(rest)}`, rest.pos);
  return expr;
}

function describe(t: Token): string {
  switch (t.kind) {
    case "word":
      return `'${t.text}'`;
    case "string":
      return "string";
    case "number":
      return `number ${t.value}`;
    case "op":
      return `'${t.op}'`;
    case "punct":
      return `'${t.text}'`;
    case "end":
      return "end of expression";
  }
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.i] ?? { kind: "end", pos: 0 };
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== "end") this.i++;
    return t;
  }

  private isWord(t: Token, upper: string): boolean {
    return t.kind === "word" && t.text.toUpperCase() === upper;
  }

  private isPunct(t: Token, text: string): boolean {
    return t.kind === "punct" && t.text === text;
  }

  private expect(text: string): void {
    const t = this.next();
    if (!this.isPunct(t, text)) throw new FilterError(`expected '${text}' but found ${describe(t)}`, t.pos);
  }

  expr(inScope: boolean): FilterExpr {
    let left = this.and(inScope);
    while (this.isWord(this.peek(), "OR")) {
      this.next();
      left = { kind: "or", left, right: this.and(inScope) };
    }
    return left;
  }

  private and(inScope: boolean): FilterExpr {
    let left = this.unary(inScope);
    while (this.isWord(this.peek(), "AND")) {
      this.next();
      left = { kind: "and", left, right: this.unary(inScope) };
    }
    return left;
  }

  private unary(inScope: boolean): FilterExpr {
    const t = this.peek();
    if (this.isPunct(t, "!") || this.isWord(t, "NOT")) {
      this.next();
      return { kind: "not", expr: this.unary(inScope) };
    }
    return this.primary(inScope);
  }

  private primary(inScope: boolean): FilterExpr {
    const t = this.next();
    if (this.isPunct(t, "(")) {
      const inner = this.expr(inScope);
      this.expect(")");
      return inner;
    }
    if (t.kind !== "word") throw new FilterError(`unexpected ${describe(t)}`, t.pos);
    const word = t.text.toLowerCase();

    if (word === "service" || word === "edge") {
      if (inScope) throw new FilterError(`${word}() cannot be nested in a service or edge filter`, t.pos);
      return word === "service" ? this.service() : this.edge();
    }
    if ((BOOLEAN_KEYWORDS as readonly string[]).includes(word)) {
      // `root` describes a node ("Service is the entry point"): it only means something inside a body.
      if (word === "root" && !inScope) throw new FilterError(`unsupported keyword '${t.text}'`, t.pos);
      const expr: FilterExpr = { kind: "bool", keyword: word as BooleanKeyword };
      const after = this.peek();
      if (after.kind !== "op") return expr;
      // `fault = true`, `ok != false`: "these operators act the same as the other operators but are more explicit".
      if (after.op !== "=" && after.op !== "!=")
        throw new FilterError(`boolean keyword '${word}' compares with = or != only`, after.pos);
      this.next();
      const v = this.next();
      if (v.kind !== "word" || !["true", "false"].includes(v.text.toLowerCase()))
        throw new FilterError(
          `boolean keyword '${word}' compares with true or false, found ${describe(v)}`,
          v.pos,
        );
      const holds = (after.op === "=") === (v.text.toLowerCase() === "true");
      return holds ? expr : { kind: "not", expr };
    }
    if ((NUMBER_KEYWORDS as readonly string[]).includes(word)) {
      const op = this.compareOp();
      const v = this.next();
      if (v.kind !== "number")
        throw new FilterError(`'${word}' compares with a number, found ${describe(v)}`, v.pos);
      return { kind: "number", keyword: word as NumberKeyword, op, value: v.value };
    }
    if ((STRING_KEYWORDS as readonly string[]).includes(word)) {
      if (!this.startsComparison()) return { kind: "present", keyword: word as StringKeyword };
      const op = this.stringOp();
      const v = this.next();
      if (v.kind !== "string")
        throw new FilterError(`'${word}' compares with a string, found ${describe(v)}`, v.pos);
      return { kind: "string", keyword: word as StringKeyword, op, value: v.value };
    }
    if (word.startsWith("annotation.")) return this.annotation(t.text.slice("annotation.".length), t.pos);
    throw new FilterError(`unsupported keyword '${t.text}'`, t.pos);
  }

  /** Whether the next token is a comparison or string operator (else the keyword stands alone). */
  private startsComparison(): boolean {
    const t = this.peek();
    return t.kind === "op" || (t.kind === "word" && STRING_OPS.includes(t.text.toUpperCase()));
  }

  private compareOp(): CompareOp {
    const t = this.next();
    if (t.kind !== "op")
      throw new FilterError(`expected a comparison operator but found ${describe(t)}`, t.pos);
    return t.op;
  }

  private stringOp(): StringOp {
    const t = this.next();
    if (t.kind === "op" && (t.op === "=" || t.op === "!=")) return t.op;
    if (t.kind === "word" && STRING_OPS.includes(t.text.toUpperCase()))
      return t.text.toUpperCase() as StringOp;
    throw new FilterError(`expected =, !=, CONTAINS, BEGINSWITH or ENDSWITH but found ${describe(t)}`, t.pos);
  }

  private annotation(key: string, pos: number): FilterExpr {
    if (!ANNOTATION_KEY.test(key)) throw new FilterError(`invalid annotation key '${key}'`, pos);
    if (!this.startsComparison()) return { kind: "annotationPresent", key };
    const opTok = this.peek();
    if (opTok.kind === "word") {
      const op = this.stringOp();
      const v = this.next();
      if (v.kind !== "string") throw new FilterError(`${op} needs a string, found ${describe(v)}`, v.pos);
      return { kind: "annotation", key, op, value: v.value };
    }
    const op = this.compareOp();
    const v = this.next();
    if (v.kind === "string") {
      if (op !== "=" && op !== "!=") throw new FilterError(`'${op}' cannot compare strings`, opTok.pos);
      return { kind: "annotation", key, op, value: v.value };
    }
    if (v.kind === "number") return { kind: "annotation", key, op, value: v.value };
    if (v.kind === "word" && (v.text === "true" || v.text === "false")) {
      if (op !== "=" && op !== "!=") throw new FilterError(`'${op}' cannot compare booleans`, opTok.pos);
      return { kind: "annotation", key, op, value: v.text === "true" };
    }
    throw new FilterError(`expected a string, number or boolean but found ${describe(v)}`, v.pos);
  }

  private service(): FilterExpr {
    this.expect("(");
    const selector: ServiceSelector = this.isPunct(this.peek(), ")")
      ? { name: null, type: null }
      : this.selector();
    this.expect(")");
    return { kind: "service", selector, body: this.body() };
  }

  private edge(): FilterExpr {
    this.expect("(");
    const from = this.selector();
    this.expect(",");
    const to = this.selector();
    this.expect(")");
    return { kind: "edge", from, to, body: this.body() };
  }

  private body(): FilterExpr | null {
    if (!this.isPunct(this.peek(), "{")) return null;
    this.next();
    const inner = this.expr(true);
    this.expect("}");
    return inner;
  }

  private selector(): ServiceSelector {
    const t = this.next();
    if (t.kind === "string") return { name: t.value, type: null };
    if (!this.isWord(t, "ID"))
      throw new FilterError(`expected a service name or id(...) but found ${describe(t)}`, t.pos);
    this.expect("(");
    const sel: ServiceSelector = { name: null, type: null };
    for (;;) {
      const key = this.next();
      if (key.kind !== "word" || !["name", "type"].includes(key.text.toLowerCase())) {
        throw new FilterError(`id() takes name: and type:, found ${describe(key)}`, key.pos);
      }
      this.expect(":");
      const v = this.next();
      if (v.kind !== "string") throw new FilterError(`id() ${key.text} needs a string`, v.pos);
      if (key.text.toLowerCase() === "name") sel.name = v.value;
      else sel.type = v.value;
      if (!this.isPunct(this.peek(), ",")) break;
      this.next();
    }
    this.expect(")");
    return sel;
  }
}
