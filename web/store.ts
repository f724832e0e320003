// Conversations kept in this browser (IndexedDB): one record per conversation, its images as Blobs, so a
// reload reopens them. Only this page reads the store; nothing is sent anywhere.
import type { ConversationRecord } from './conversation.js';
import type { ConversationSummary } from './types.js';

const DB_NAME = 'sightline-workbench';
const STORE = 'conversations';

let opening: Promise<IDBDatabase> | undefined;

function database(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, { keyPath: 'id' });
      store.createIndex('updatedAt', 'updatedAt');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opening;
}

/** Runs `work` in one transaction; resolves with its request's result once the transaction completes. */
async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await database();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const request = work(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/** Every conversation's id, title and dates, most recently updated first. */
export async function listConversations(): Promise<ConversationSummary[]> {
  const all = await run('readonly', (store) => store.getAll() as IDBRequest<ConversationRecord[]>);
  return all
    .map(({ id, title, createdAt, updatedAt }) => ({ id, title, createdAt, updatedAt }))
    .sort((a, b) => b.updatedAt - a.updatedAt);
}

export const loadConversation = (id: string): Promise<ConversationRecord | undefined> =>
  run('readonly', (store) => store.get(id) as IDBRequest<ConversationRecord | undefined>);

export const saveConversation = async (record: ConversationRecord): Promise<void> => {
  await run('readwrite', (store) => store.put(record));
};

export const deleteConversation = (id: string): Promise<undefined> =>
  run('readwrite', (store) => store.delete(id));

export async function renameConversation(id: string, title: string): Promise<void> {
  const record = await loadConversation(id);
  if (!record) return;
  await saveConversation({ ...record, title });
}
