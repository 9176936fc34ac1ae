/**
 * A bounded, approximately-LRU cache with O(1) operations: two generations of Maps. New and recently read
 * entries live in `young`; when young's weight passes half the budget it becomes `old` and the previous old is
 * dropped. A hit in old is promoted. Total weight never exceeds `maxWeight` (plus one entry's weight).
 * (A single Map with delete-and-reinsert degrades badly: V8 skips tombstones on every oldest-first scan.)
 */
export class GenerationalCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private youngWeight = 0;

  constructor(
    private readonly maxWeight: number,
    private readonly weigh: (v: V) => number = () => 1,
  ) {}

  get(key: K): V | undefined {
    const y = this.young.get(key);
    if (y !== undefined) return y;
    const o = this.old.get(key);
    if (o !== undefined) {
      this.old.delete(key);
      this.set(key, o);
    }
    return o;
  }

  set(key: K, value: V): void {
    this.young.set(key, value);
    this.youngWeight += this.weigh(value);
    if (this.youngWeight > this.maxWeight / 2) {
      this.old = this.young;
      this.young = new Map();
      this.youngWeight = 0;
    }
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}
