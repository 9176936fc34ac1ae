/**
 * The groups of a `stats … by` clause (aggregate.ts), whatever the record kind.
 *
 * Invariants:
 * - Two records are in the same group exactly when their by-values print alike (groupKey: String of each value,
 *   absent as "\u0000"), so 1 and "1" share a group, and NaN or -Infinity (log(0)) are ordinary keys.
 * - Groups are listed in first-seen order.
 * - A lookup that hits allocates nothing: raw values are looked up in nested Maps (one level per by-expression)
 *   before any key string is built; the canonical string key is built only the first time a combination of raw
 *   values is seen. Without this a by-clause whose values change on every record (a histogram bucket) would
 *   build a key string per record.
 */
import type { Value } from "./fields";

export const groupKey = (by: readonly Value[]): string =>
  by.length === 0 ? "" : by.map((v) => (v === undefined ? "\u0000" : String(v))).join("\u0001");

type Level = Map<Value, unknown>;

export class GroupIndex<G> {
  private readonly canonical = new Map<string, G>();
  private readonly root: Level = new Map();

  /** The group of these by-values, made by `create` (given a copy of them) when first seen. */
  get(by: readonly Value[], create: (by: Value[]) => G): G {
    const last = by.length - 1;
    let level = this.root;
    for (let i = 0; i < last; i++) {
      let next = level.get(by[i]) as Level | undefined;
      if (next === undefined) level.set(by[i], (next = new Map()));
      level = next;
    }
    const leafKey = last < 0 ? "" : by[last];
    const hit = level.get(leafKey) as G | undefined;
    if (hit !== undefined) return hit;
    const key = groupKey(by);
    let g = this.canonical.get(key);
    if (g === undefined) {
      g = create([...by]);
      this.canonical.set(key, g);
    }
    level.set(leafKey, g);
    return g;
  }

  values(): IterableIterator<G> {
    return this.canonical.values();
  }
}
