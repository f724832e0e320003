// The conversations kept in this browser: saving the open one (debounced, and at once after an answer),
// the list to reopen, rename and delete them, and starting a new one.

import { shownError } from './api.js';
import { renderConversationList } from './chat-view.js';
import { fromRecord, hasContent, newConversation, titleOf, toRecord } from './conversation.js';
import { $ } from './dom.js';
import { state } from './state.js';
import { OPEN_STORAGE, storage } from './storage.js';
import * as store from './store.js';

const SAVE_DELAY_MS = 300;

/** The page's hooks. */
export interface LibraryHooks {
  /** After the open conversation changed. */
  renderConversation(): void;
  /** Selects the model a reopened conversation used. */
  useModel(id: string): void;
  closeFolds(): void;
  announce(text: string): void;
}

export type Library = ReturnType<typeof createLibrary>;

export function createLibrary({ renderConversation, useModel, closeFolds, announce }: LibraryHooks) {
  let saveTimer = 0;

  function scheduleSave() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void save(), SAVE_DELAY_MS);
  }

  async function save() {
    clearTimeout(saveTimer);
    const { conversation } = state;
    if (!hasContent(conversation)) return;
    conversation.updatedAt = Date.now();
    try {
      await store.saveConversation(toRecord(conversation, state.model));
      storage.set(OPEN_STORAGE, conversation.id);
      await refreshList();
    } catch (error) {
      announce(`Could not keep the conversation in this browser: ${shownError(error).message}`);
    }
  }

  async function refreshList() {
    try {
      state.list = await store.listConversations();
    } catch {
      state.list = [];
    }
    renderConversationList($('conversation-list'), state.list, state.conversation.id, {
      onOpen: (id) => void openConversation(id),
      onRename: (id, title) => void renameConversation(id, title),
      onDelete: (id) => void deleteConversation(id),
    });
  }

  function startNewConversation() {
    if (state.sending) return;
    state.conversation = newConversation();
    renderConversation();
    void refreshList();
    closeFolds();
    $('message').focus();
  }

  async function openConversation(id: string) {
    if (state.sending) return;
    const record = await store.loadConversation(id);
    if (!record) return;
    await save(); // keep what the current one holds
    const conversation = await fromRecord(record);
    state.conversation = conversation;
    if (conversation.model) useModel(conversation.model);
    storage.set(OPEN_STORAGE, id);
    renderConversation();
    await refreshList();
    closeFolds();
    announce(`Opened “${titleOf(conversation)}”.`);
  }

  async function renameConversation(id: string, title: string) {
    if (id === state.conversation.id) {
      state.conversation.title = title;
      state.conversation.named = true;
      await save();
    } else {
      await store.renameConversation(id, title);
      await refreshList();
    }
    announce(`Renamed to “${title}”.`);
  }

  async function deleteConversation(id: string) {
    if (state.sending && id === state.conversation.id) return;
    await store.deleteConversation(id);
    if (id === state.conversation.id) {
      state.conversation = newConversation();
      renderConversation();
    }
    await refreshList();
    announce('Deleted the conversation.');
  }

  return {
    save,
    scheduleSave,
    refreshList,
    open: openConversation,
    startNew: startNewConversation,
  };
}
