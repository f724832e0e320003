// Conversations kept in this browser (IndexedDB): one record per conversation, its images as Blobs, so a
// reload reopens them. Only this page reads the store; nothing is sent anywhere.

const DB_NAME = 'sightline-workbench';
const STORE = 'conversations';

let opening;

function database() {
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

async function run(mode, work) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const request = work(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(request?.result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/** Every conversation's id, title and dates, most recently updated first. */
export async function listConversations() {
  const all = await run('readonly', (store) => store.getAll());
  return all
    .map(({ id, title, createdAt, updatedAt }) => ({ id, title, createdAt, updatedAt }))
    .sort((a, b) => b.updatedAt - a.updatedAt);
}

export const loadConversation = (id) => run('readonly', (store) => store.get(id));

export const saveConversation = (record) => run('readwrite', (store) => store.put(record));

export const deleteConversation = (id) => run('readwrite', (store) => store.delete(id));

export async function renameConversation(id, title) {
  const record = await loadConversation(id);
  if (!record) return;
  await saveConversation({ ...record, title });
}
