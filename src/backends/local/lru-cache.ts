// A small in-memory least-recently-used map, and the content key of a model view, so a conversation
// that re-sends the same image every turn has it measured (and read by OCR) once.
import { createHash } from 'node:crypto';
import type { PreparedImage } from '../types.js';

export interface LruCache<Value> {
  get(key: string): Value | undefined;
  set(key: string, value: Value): void;
}

/** A cache holding at most `capacity` entries (0 disables it). */
export function createLruCache<Value>(capacity: number): LruCache<Value> {
  const entries = new Map<string, Value>();
  return {
    get(key) {
      const value = entries.get(key);
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, value); // most recently used goes last
      }
      return value;
    },
    set(key, value) {
      if (capacity <= 0) return;
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > capacity) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
    },
  };
}

/** SHA-256 of the view bytes and its content size: equal keys mean equal measures. */
export function viewContentKey(image: PreparedImage): string {
  const { view } = image;
  return createHash('sha256')
    .update(`${view.contentWidth}x${view.contentHeight}:`)
    .update(view.data)
    .digest('hex');
}
