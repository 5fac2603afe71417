// ruleid: library/js-lru-cache
export class LRUCache<K, V> {
  private map = new Map<K, V>();
  constructor(private max: number) {}

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) {
      this.map.delete(this.map.keys().next().value as K);
    }
  }
}
