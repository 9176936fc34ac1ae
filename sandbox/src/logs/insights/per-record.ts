/**
 * The per-record commands (filter, fields, display, parse), compiled once into closures over a record kind:
 * the leading run of them streams every scanned record through; later runs (after stats or sort) apply to
 * materialised rows through the same code.
 *
 * Invariants:
 * - Lazy bindings: `fields … as x` and `parse` bind names to closures evaluated where they are read (values are
 *   pure functions of the record), so a record that a filter drops, or that only feeds stats, is never given an
 *   overlay row. The items of one `fields`/`display` command are all evaluated against the record as it was
 *   before the command.
 * - parse runs its regex at most once per record: its match is memoised on the stage's record serial, bumped by
 *   pass() (a reused cursor is the same object for every record).
 * - A parse that does not match binds its names to absent values.
 */
import type { Command, Query } from "./ast";
import { compileExpr, type Compiled, type FieldResolver } from "./compile";
import { OverlayRow, type Row } from "./fields";

const isPerRecord = (c: Command) =>
  c.k === "filter" || c.k === "fields" || c.k === "display" || c.k === "parse";

/** Per-record commands run before the first other command (the prefix a scan streams through). */
export function perRecordPrefix(q: Query): number {
  let prefix = 0;
  while (prefix < q.commands.length && isPerRecord(q.commands[prefix]!)) prefix++;
  return prefix;
}

export class PerRecord<R> {
  /** Resolves a name to the closure bound to it by these commands, else to the record's own field. */
  readonly field: FieldResolver<R>;
  private readonly filters: Compiled<R>[] = [];
  private readonly bound = new Map<string, Compiled<R>>();
  private serial = 0;

  constructor(commands: readonly Command[], base: FieldResolver<R>) {
    this.field = (name) => this.bound.get(name) ?? base(name);
    for (const cmd of commands) this.compile(cmd);
  }

  private compile(cmd: Command) {
    switch (cmd.k) {
      case "filter":
        this.filters.push(compileExpr(cmd.e, this.field));
        return;
      case "fields":
      case "display": {
        const computed = cmd.items.filter((i) => !(i.e.k === "field" && i.e.name === i.name));
        const compiled = computed.map((i) => [i.name, compileExpr(i.e, this.field)] as const);
        for (const [name, c] of compiled) this.bound.set(name, c);
        return;
      }
      case "parse": {
        const source = compileExpr(cmd.source, this.field);
        const re = cmd.re;
        let at = -1;
        let match: RegExpExecArray | null = null;
        const matchOf = (r: R) => {
          if (at !== this.serial) {
            at = this.serial;
            const s = source(r);
            match = s === undefined ? null : re.exec(String(s));
          }
          return match;
        };
        cmd.names.forEach((n, i) =>
          this.bound.set(n, (r) => {
            const m = matchOf(r);
            return m ? (m.groups?.[n] ?? m[i + 1]) : undefined;
          }),
        );
        return;
      }
      default:
        throw new Error(`not a per-record command: ${cmd.k}`);
    }
  }

  /** True when the record passes every filter. Call once per record, before reading any bound name. */
  pass(r: R): boolean {
    this.serial++;
    const fs = this.filters;
    for (let i = 0; i < fs.length; i++) if (fs[i]!(r) !== true) return false;
    return true;
  }

  /** The record as a row to keep: `kept` (a stable row for it) with the bound names evaluated now. */
  materialise(r: R, kept: Row): Row {
    if (this.bound.size === 0) return kept;
    const o = new OverlayRow(kept);
    for (const [name, c] of this.bound) o.extra.set(name, c(r));
    return o;
  }
}
