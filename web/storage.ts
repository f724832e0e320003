// What the page remembers in localStorage: the API key, the chosen model, the open conversation. Reads and
// writes never throw: with storage disabled, a value lasts for this page only.

export const KEY_STORAGE = 'sightline.workbench.apiKey';
export const MODEL_STORAGE = 'sightline.workbench.model';
export const OPEN_STORAGE = 'sightline.workbench.open';

type StorageKey = typeof KEY_STORAGE | typeof MODEL_STORAGE | typeof OPEN_STORAGE;

export const storage = {
  get(key: StorageKey): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key: StorageKey, value: string): void {
    try {
      localStorage.setItem(key, value);
    } catch {
      // storage disabled: the value lasts for this page only
    }
  },
};

/**
 * The API key: the one kept from an earlier visit, else a new one random per browser (a fixed default
 * could be guessed by a page that reaches the server through DNS rebinding), kept like any key typed in.
 */
export function rememberedApiKey(): string {
  const kept = storage.get(KEY_STORAGE);
  if (kept !== null) return kept;
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  const key = `workbench-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
  storage.set(KEY_STORAGE, key);
  return key;
}
