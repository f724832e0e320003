// A size-bounded LRU cache: entries are evicted, least recently used first, once their summed sizes
// pass `maxBytes` (sizes in bytes, or weight 1 per entry for a count bound). Map iteration order is
// insertion order, so re-inserting on read makes it an LRU.

export interface LruCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V, size: number): void;
  readonly stats: { entries: number; bytes: number; hits: number; misses: number; evictions: number };
  clear(): void;
}

export function createLruCache<V>(maxBytes: number): LruCache<V> {
  const entries = new Map<string, { value: V; size: number }>();
  const stats = { entries: 0, bytes: 0, hits: 0, misses: 0, evictions: 0 };
  const remove = (key: string): void => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    stats.bytes -= entry.size;
    stats.entries = entries.size;
  };
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) {
        stats.misses += 1;
        return undefined;
      }
      stats.hits += 1;
      entries.delete(key);
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value, size) {
      remove(key);
      if (size > maxBytes) return;
      entries.set(key, { value, size });
      stats.bytes += size;
      for (const oldest of entries.keys()) {
        if (stats.bytes <= maxBytes) break;
        remove(oldest);
        stats.evictions += 1;
      }
      stats.entries = entries.size;
    },
    stats,
    clear() {
      entries.clear();
      stats.bytes = 0;
      stats.entries = 0;
    },
  };
}
