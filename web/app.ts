// The Workbench's wiring: the chat (past turns above, one message box at the bottom with its images) and
// what re-renders when the request changes: the image cards and figures, the request panel, Send. The
// state is state.ts; the settings settings.ts, the message box composer.ts, count_tokens count.ts, sending
// send.ts, the conversations kept in this browser library.ts; the DOM of each part lives in its own module.
import { shownError } from './api.js';
import { renderImageCards } from './cards.js';
import { createTurnView, showAnswer, showAnswerMeta, showError } from './chat-view.js';
import { closeFolds, removeImage, wireComposer } from './composer.js';
import { titleOf } from './conversation.js';
import { createCounter } from './count.js';
import { $, fitTextarea } from './dom.js';
import { formatInt, formatUsd } from './format.js';
import { bitmapOf, costOf } from './images.js';
import { createLibrary } from './library.js';
import { createModelView } from './model-view.js';
import { renderRequestPanel } from './request-panel.js';
import { createSender, sendBlocker } from './send.js';
import { loadModels, renderParameters, useModel, wireSettings } from './settings.js';
import { allImages, currentModel, placements, state } from './state.js';
import { createStatusLine } from './status.js';
import { OPEN_STORAGE, storage } from './storage.js';
import type { Card, Turn, TurnView } from './types.js';

const announce = (text: string) => {
  $('live-status').textContent = text;
};

const status = createStatusLine($('status'));
const counter = createCounter({ renderCards });
const library = createLibrary({ renderConversation, useModel, closeFolds, announce });
const sender = createSender({
  status,
  mountTurn,
  renderCards,
  changed,
  save: () => library.save(),
  recount: () => counter.schedule(),
  announce,
});
const hooks = {
  changed,
  renderCards,
  renderSendState,
  showCountError: counter.showError,
  announce,
  send: sender.send,
  startNew: library.startNew,
};

// ---- figures, cards, model views ----

function openModelView(card: Card) {
  $('model-view-body').replaceChildren(createModelView(card));
  $('model-view-dialog', HTMLDialogElement).showModal();
}

const tokensOf = (cards: readonly Card[]) => cards.reduce((sum, card) => sum + (card.plan?.tokens ?? 0), 0);

function renderCards() {
  const model = currentModel();
  const cards = placements();
  const options = {
    model,
    useFiles: state.useFiles,
    showModelView: state.showModelView,
    onOpen: openModelView,
  };
  for (const turn of state.conversation.turns) {
    if (!turn.view) continue;
    const repairs = turn.assistant.repairs ?? [];
    const own = cards
      .filter((card) => turn.user.images.includes(card.image))
      .map((card) => ({ ...card, repair: repairs.find((repair) => repair.path === card.path) ?? null }));
    renderImageCards(turn.view.images, own, { ...options, compact: true });
  }
  const draft = state.conversation.draft;
  const own = cards.filter((card) => draft.images.includes(card.image));
  const attachments = $('attachments');
  renderImageCards(attachments, own, {
    ...options,
    onRemove: (image) => removeImage(image, { changed, announce }),
  });
  attachments.hidden = own.length === 0;

  const accepted = cards.filter((card) => !card.problem);
  const tokens = tokensOf(accepted);
  const rejected = cards.length - accepted.length;
  $('images-total').textContent =
    cards.length === 0
      ? 'No images yet.'
      : `${accepted.length} image${accepted.length === 1 ? '' : 's'}: ${formatInt(tokens)} tokens` +
        (model ? ` · ${formatUsd(costOf(tokens, model))}` : '') +
        (rejected ? ` · ${rejected} not accepted (not counted)` : '');
  const draftTokens = tokensOf(own.filter((card) => !card.problem));
  $('draft-figures').textContent =
    own.length === 0
      ? ''
      : `${own.length} image${own.length === 1 ? '' : 's'} · ${formatInt(draftTokens)} tokens` +
        (model ? ` · ${formatUsd(costOf(draftTokens, model))}` : '');
  renderRequestPanel();
  renderSendState(cards);
}

// ---- Send: enabled only for a request that can be sent ----

function renderSendState(cards = placements()) {
  const blocker = sendBlocker(cards);
  const send = $('send', HTMLButtonElement);
  send.disabled = blocker !== '';
  send.hidden = Boolean(state.sending);
  $('stop').hidden = !state.sending;
  // the empty box needs no explanation: the placeholder says what to do
  $('send-reason').textContent =
    blocker === 'Type a message or attach an image.' || state.sending ? '' : blocker;
}

// ---- changes ----

/** Something in the request changed: re-render what depends on it, recount, save. */
function changed({ images = false, save = true }: { images?: boolean; save?: boolean } = {}) {
  state.serverProblems.clear();
  if (images) renderCards();
  else {
    renderRequestPanel();
    renderSendState();
  }
  $('empty-chat').hidden = state.conversation.turns.length > 0;
  // while an answer streams, the total waits for it: the server's time goes to the answer first
  if (state.sending) counter.cancel();
  else counter.schedule();
  if (save) library.scheduleSave();
}

// ---- the chat ----

function mountTurn(turn: Turn): TurnView {
  const view = createTurnView(turn);
  turn.view = view;
  $('turns').append(view.root);
  showAnswer(view, turn.assistant.text);
  if (turn.assistant.stopReason || turn.assistant.usage) showAnswerMeta(view, turn.assistant);
  if (turn.assistant.error) showError(view.error, turn.assistant.error);
  return view;
}

function renderConversation() {
  const { conversation } = state;
  $('turns').replaceChildren();
  for (const turn of conversation.turns) mountTurn(turn);
  const system = $('system', HTMLTextAreaElement);
  system.value = conversation.system;
  $('system-summary').textContent = conversation.system.trim() ? '(set)' : '';
  $('system-block', HTMLDetailsElement).open = conversation.system.trim() !== '';
  const message = $('message', HTMLTextAreaElement);
  message.value = conversation.draft.text;
  fitTextarea(message);
  showError($('send-error'), null);
  status.clear();
  document.title =
    conversation.turns.length > 0 ? `${titleOf(conversation)} · Sightline Workbench` : 'Sightline Workbench';
  changed({ images: true, save: false });
  for (const image of allImages()) void bitmapOf(image);
}

export async function start(): Promise<void> {
  wireSettings(hooks);
  wireComposer(hooks);
  renderParameters();
  renderConversation();
  await library.refreshList();
  const remembered = storage.get(OPEN_STORAGE);
  const reopen = state.list.find((item) => item.id === remembered) ?? state.list[0];
  try {
    if (reopen) await library.open(reopen.id);
  } catch (error) {
    announce(`Could not reopen the last conversation: ${shownError(error).message}`);
  }
  await loadModels(hooks);
}
