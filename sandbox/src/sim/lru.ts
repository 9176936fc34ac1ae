/**
 * A bounded, approximately-LRU cache of per-function minutes, with O(1) operations: two generations. New and
 * recently read entries live in `young`; when young's weight passes half the budget it becomes `old` and the
 * previous old is dropped; a hit in old is promoted. Total weight stays within `maxWeight` (plus one entry).
 *
 * Keys are (function id, minute index), both small integers, in nested Maps: a combined numeric key would exceed
 * V8's small-integer range and make every lookup hash (and allocate) a heap number. A single Map with
 * delete-and-reinsert LRU degrades too: V8 skips tombstones on every oldest-first scan.
 */
type Generation<V> = Map<number, Map<number, V>>;

export class MinuteCache<V> {
  private young: Generation<V> = new Map();
  private old: Generation<V> = new Map();
  private youngWeight = 0;

  constructor(
    private readonly maxWeight: number,
    private readonly weigh: (v: V) => number = () => 1,
  ) {}

  get(fnId: number, minute: number): V | undefined {
    const y = this.young.get(fnId)?.get(minute);
    if (y !== undefined) return y;
    const oldFn = this.old.get(fnId);
    const o = oldFn?.get(minute);
    if (o !== undefined) {
      oldFn!.delete(minute);
      this.set(fnId, minute, o);
    }
    return o;
  }

  set(fnId: number, minute: number, value: V): void {
    let fnMap = this.young.get(fnId);
    if (!fnMap) {
      fnMap = new Map();
      this.young.set(fnId, fnMap);
    }
    fnMap.set(minute, value);
    this.youngWeight += this.weigh(value);
    if (this.youngWeight > this.maxWeight / 2) {
      this.old = this.young;
      this.young = new Map();
      this.youngWeight = 0;
    }
  }
}
