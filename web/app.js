// The Workbench's wiring: the chat (past turns above, one message box at the bottom with its images), the
// settings and parameters, the image cards and figures, the request panel and its copies, drops and pastes
// anywhere, the folds of narrow screens. The state is state.js; count_tokens is count.js, sending send.js,
// the conversations kept in this browser library.js; the DOM of each part lives in its own module.
import { FILES_BETA } from './api.js';
import { renderImageCards } from './cards.js';
import { createTurnView, showAnswer, showAnswerMeta, showError } from './chat-view.js';
import { toCurl, toTypeScript } from './code.js';
import { titleOf } from './conversation.js';
import { createCounter } from './count.js';
import { $, copyText, fitTextarea } from './dom.js';
import { formatBytes, formatInt, formatPrice, formatUsd } from './format.js';
import { bitmapOf, costOf, readImage } from './images.js';
import { createLibrary } from './library.js';
import { createModelView } from './model-view.js';
import { createSender, sendBlocker } from './send.js';
import { refreshSpend } from './spend.js';
import {
  allImages,
  api,
  currentModel,
  ensureUploads,
  extraHeaders,
  KEY_STORAGE,
  keyNow,
  MODEL_STORAGE,
  OPEN_STORAGE,
  parameters,
  placements,
  previewSource,
  request,
  sendSource,
  state,
  storage,
} from './state.js';
import { createStatusLine } from './status.js';

let pastedCount = 0;

const status = createStatusLine($('status'));
const counter = createCounter({ renderCards: () => renderCards() });
const library = createLibrary({
  renderConversation: () => renderConversation(),
  useModel: (id) => useModel(id),
  closeFolds: () => closeFolds(),
  announce: (text) => announce(text),
});
const sender = createSender({
  status,
  mountTurn: (turn) => mountTurn(turn),
  renderCards: () => renderCards(),
  changed: (options) => changed(options),
  save: () => library.save(),
  recount: () => counter.schedule(),
  announce: (text) => announce(text),
});

const announce = (text) => {
  $('live-status').textContent = text;
};

// ---- figures, cards, model views ----

function openModelView(card) {
  $('model-view-body').replaceChildren(createModelView(card));
  $('model-view-dialog').showModal();
}

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
  renderImageCards($('attachments'), own, { ...options, onRemove: removeImage });
  $('attachments').hidden = own.length === 0;

  const accepted = cards.filter((card) => !card.problem);
  const tokens = accepted.reduce((sum, card) => sum + (card.plan?.tokens ?? 0), 0);
  const rejected = cards.length - accepted.length;
  $('images-total').textContent =
    cards.length === 0
      ? 'No images yet.'
      : `${accepted.length} image${accepted.length === 1 ? '' : 's'}: ${formatInt(tokens)} tokens` +
        (model ? ` · ${formatUsd(costOf(tokens, model))}` : '') +
        (rejected ? ` · ${rejected} not accepted (not counted)` : '');
  const draftCards = own.filter((card) => !card.problem);
  const draftTokens = draftCards.reduce((sum, card) => sum + (card.plan?.tokens ?? 0), 0);
  $('draft-figures').textContent =
    own.length === 0
      ? ''
      : `${own.length} image${own.length === 1 ? '' : 's'} · ${formatInt(draftTokens)} tokens` +
        (model ? ` · ${formatUsd(costOf(draftTokens, model))}` : '');
  renderRequestPanel();
  renderSendState(cards);
}

function renderModelInfo() {
  const model = currentModel();
  if (!model) {
    $('model-info').textContent = '';
    return;
  }
  const { profile, max_images: maxImages, input_price_per_million: price } = model.sightline;
  const output = model.sightline.output_price_per_million;
  $('model-info').textContent =
    `${model.id} · model view: long edge ≤ ${formatInt(profile.max_long_edge)} px, ≤ ${formatInt(profile.max_tokens)} tokens per image · ` +
    `up to ${formatInt(maxImages)} images · ${formatPrice(price)} input` +
    (output !== undefined ? `, ${formatPrice(output)} output` : '') +
    (model.lifecycle === 'deprecated'
      ? ` · deprecated${model.retires_at ? `, retires on ${model.retires_at.slice(0, 10)}` : ''}`
      : '');
}

// ---- parameters ----

const FIELD_INPUTS = {
  maxTokens: 'max-tokens',
  temperature: 'temperature',
  topP: 'top-p',
  topK: 'top-k',
};

function renderParameters() {
  const { errors, accepted } = parameters();
  for (const [field, id] of Object.entries(FIELD_INPUTS)) {
    const input = $(id);
    const box = $(`${id}-error`);
    const message = errors[field];
    input.setAttribute('aria-invalid', message ? 'true' : 'false');
    box.textContent = message ?? '';
    box.hidden = !message;
  }
  const refused = [
    ['temperature', 'temperature'],
    ['top_p', 'top-p'],
    ['top_k', 'top-k'],
  ].filter(([name, id]) => {
    const off = !accepted.has(name);
    $(id).disabled = off;
    $(id).closest('.field').classList.toggle('unsupported', off);
    return off;
  });
  const note = $('sampling-note');
  const model = currentModel();
  note.hidden = refused.length === 0;
  note.textContent =
    refused.length === 0
      ? ''
      : `${model?.display_name ?? 'This model'} does not accept ${refused.map(([name]) => name).join(', ')}: not sent.`;
}

// ---- count_tokens ----

// ---- request panel and copies ----

function renderRequestPanel() {
  const { body } = request(previewSource);
  $('request-json').firstElementChild.textContent = JSON.stringify(body, null, 2);
  $('request-endpoint').textContent =
    `POST ${location.origin}/v1/messages · x-api-key, anthropic-version: 2023-06-01` +
    (state.useFiles ? `, anthropic-beta: ${FILES_BETA}` : '') +
    (state.repairImages ? ', sightline-repair: images' : '');
}

async function copyAs(kind) {
  try {
    if (state.useFiles) await ensureUploads(renderCards);
    let text;
    if (kind === 'curl') {
      text = toCurl(request(sendSource).body, {
        origin: location.origin,
        beta: state.useFiles ? FILES_BETA : '',
        headers: extraHeaders(),
      });
    } else {
      const files = new Map();
      const { body } = request((image, number) => {
        if (state.useFiles) return sendSource(image);
        const marker = `__sightline_image_${number}__`;
        files.set(marker, image.name);
        return { type: 'base64', media_type: image.mediaType, data: marker };
      });
      text = toTypeScript(body, {
        origin: location.origin,
        files,
        fileIds: state.useFiles,
        headers: extraHeaders(),
      });
    }
    await copyText(text);
    announce(
      `Copied the request as ${kind === 'curl' ? 'a curl command' : 'TypeScript'} (${formatBytes(text.length)}).`,
    );
    flash(kind === 'curl' ? 'copy-curl' : 'copy-ts', 'Copied');
  } catch (error) {
    counter.showError(error);
    announce(`Could not copy: ${error.message}`);
  }
}

function flash(id, text) {
  const button = $(id);
  const original = button.dataset.label ?? button.textContent;
  button.dataset.label = original;
  button.textContent = text;
  setTimeout(() => {
    button.textContent = original;
  }, 1500);
}

// ---- Send: enabled only for a request that can be sent ----

function renderSendState(cards = placements()) {
  const blocker = sendBlocker(cards);
  $('send').disabled = blocker !== '';
  $('stop').hidden = !state.sending;
  $('send').hidden = Boolean(state.sending);
  // the empty box needs no explanation: the placeholder says what to do
  $('send-reason').textContent =
    blocker === 'Type a message or attach an image.' || state.sending ? '' : blocker;
}

// ---- changes, persistence ----

/** Something in the request changed: re-render what depends on it, recount, save. */
function changed({ images = false, save = true } = {}) {
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

function mountTurn(turn) {
  turn.view = createTurnView(turn);
  $('turns').append(turn.view.root);
  showAnswer(turn.view, turn.assistant.text);
  if (turn.assistant.stopReason || turn.assistant.usage) showAnswerMeta(turn.view, turn.assistant);
  if (turn.assistant.error) showError(turn.view.error, turn.assistant.error);
}

function renderConversation() {
  const { conversation } = state;
  $('turns').replaceChildren();
  for (const turn of conversation.turns) mountTurn(turn);
  $('system').value = conversation.system;
  $('system-summary').textContent = conversation.system.trim() ? '(set)' : '';
  $('system-block').open = conversation.system.trim() !== '';
  $('message').value = conversation.draft.text;
  fitTextarea($('message'));
  showError($('send-error'), null);
  status.clear();
  document.title =
    conversation.turns.length > 0 ? `${titleOf(conversation)} · Sightline Workbench` : 'Sightline Workbench';
  changed({ images: true, save: false });
  for (const image of allImages()) void bitmapOf(image);
}

async function addImages(files) {
  const images = files.filter((file) => file.type.startsWith('image/') || file.type === '');
  if (images.length === 0) return;
  const added = [];
  for (const file of images) {
    const fallback = `pasted-${++pastedCount}.${(file.type.split('/')[1] ?? 'bin').replace('jpeg', 'jpg')}`;
    const image = await readImage(file, fallback);
    state.conversation.draft.images.push(image);
    added.push(image);
    void bitmapOf(image);
  }
  changed({ images: true });
  const numbers = placements()
    .filter((card) => added.includes(card.image))
    .map((card) => `Image ${card.number}${card.problem ? ' (would be rejected: see its card)' : ''}`);
  announce(`Attached ${numbers.join(', ')}.`);
}

function removeImage(image) {
  const { images } = state.conversation.draft;
  images.splice(images.indexOf(image), 1);
  URL.revokeObjectURL(image.url);
  changed({ images: true });
  $('message').focus();
  announce(`Removed ${image.name}.`);
}

// ---- sending ----

// ---- models and settings ----

/** Selects a model by id (a reopened conversation's), if the server has it. */
function useModel(id) {
  if (!state.models.some((model) => model.id === id)) return;
  state.model = id;
  $('model').value = id;
  renderModelInfo();
  renderParameters();
}

async function loadModels() {
  const errorBox = $('models-error');
  const keyError = $('api-key-error');
  const key = keyNow();
  keyError.hidden = key !== '';
  keyError.textContent = key === '' ? 'Enter an API key to load the models and send.' : '';
  $('api-key').setAttribute('aria-invalid', key === '' ? 'true' : 'false');
  if (key === '') {
    state.models = [];
    state.modelsError = null;
    errorBox.hidden = true;
  } else {
    try {
      state.models = await api.listModels();
      state.modelsError = null;
      errorBox.hidden = true;
    } catch (error) {
      state.models = [];
      state.modelsError = error;
      errorBox.textContent = `${error.type ?? 'error'}: ${error.message}`;
      errorBox.hidden = false;
    }
  }
  const select = $('model');
  const remembered = storage.get(MODEL_STORAGE);
  const keep = [state.model, state.conversation.model, remembered].find((id) =>
    state.models.some((model) => model.id === id),
  );
  state.model = keep ?? state.models[0]?.id ?? '';
  select.replaceChildren(
    ...state.models.map(
      (model) =>
        new Option(
          model.lifecycle === 'deprecated' ? `${model.display_name} (deprecated)` : model.display_name,
          model.id,
          false,
          model.id === state.model,
        ),
    ),
  );
  select.disabled = state.models.length === 0;
  if (key !== '') void refreshSpend(api, $('spend-today'));
  else $('spend-today').textContent = '';
  renderModelInfo();
  renderParameters();
  changed({ images: true, save: false });
}

function wireSettings() {
  const key = $('api-key');
  key.value = state.apiKey;
  key.addEventListener('input', () => {
    state.apiKey = key.value;
    storage.set(KEY_STORAGE, key.value);
    renderSendState();
  });
  key.addEventListener('change', () => void loadModels());
  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void loadModels();
  });
  $('model').addEventListener('change', (event) => {
    state.model = event.target.value;
    storage.set(MODEL_STORAGE, state.model);
    renderModelInfo();
    renderParameters();
    changed({ images: true });
  });
  $('system').addEventListener('input', (event) => {
    state.conversation.system = event.target.value;
    $('system-summary').textContent = event.target.value.trim() ? '(set)' : '';
    fitTextarea(event.target);
    changed();
  });
  for (const [field, id] of Object.entries({ ...FIELD_INPUTS, stopSequences: 'stop-sequences' })) {
    $(id).addEventListener('input', (event) => {
      state.fields[field] = event.target.value;
      renderParameters();
      renderRequestPanel();
      renderSendState();
    });
  }
  $('use-files').addEventListener('change', (event) => {
    state.useFiles = event.target.checked;
    changed({ images: true, save: false });
  });
  $('repair-images').addEventListener('change', (event) => {
    state.repairImages = event.target.checked;
    changed({ images: true, save: false });
  });
  $('show-model-view').addEventListener('change', (event) => {
    state.showModelView = event.target.checked;
    renderCards();
  });
  $('copy-curl').addEventListener('click', () => void copyAs('curl'));
  $('copy-ts').addEventListener('click', () => void copyAs('ts'));
  $('close-model-view').addEventListener('click', () => $('model-view-dialog').close());
  $('model-view-dialog').addEventListener('click', (event) => {
    if (event.target === event.currentTarget) event.currentTarget.close(); // a click on the backdrop
  });
}

// ---- the message box, drops and pastes anywhere, folds ----

function wireComposer() {
  const message = $('message');
  message.addEventListener('input', () => {
    state.conversation.draft.text = message.value;
    fitTextarea(message);
    changed();
  });
  message.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void sender.send();
    }
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void sender.send();
    }
  });
  $('send').addEventListener('click', () => void sender.send());
  $('stop').addEventListener('click', () => state.sending?.abort());
  const fileInput = $('file-input');
  $('attach').addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    void addImages([...fileInput.files]);
    fileInput.value = '';
  });
  $('new-conversation').addEventListener('click', library.startNew);

  // Files dropped anywhere on the page attach to the message box; nothing replaces the page.
  const overlay = $('drop-overlay');
  let depth = 0;
  const carriesFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
  window.addEventListener('dragenter', (event) => {
    event.preventDefault();
    if (!carriesFiles(event)) return;
    depth += 1;
    overlay.hidden = false;
  });
  window.addEventListener('dragover', (event) => {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = carriesFiles(event) ? 'copy' : 'none';
  });
  window.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) overlay.hidden = true;
  });
  window.addEventListener('drop', (event) => {
    event.preventDefault();
    depth = 0;
    overlay.hidden = true;
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length > 0) void addImages(files);
  });
  document.addEventListener('paste', (event) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    void addImages(files);
  });

  // Narrow screens: the conversations and the settings fold away behind the top bar's buttons.
  for (const [button, panel, openClass] of [
    ['toggle-settings', 'settings', 'settings-open'],
    ['toggle-conversations', 'conversations', 'conversations-open'],
  ]) {
    $(button).addEventListener('click', () => {
      const open = !document.body.classList.contains(openClass);
      closeFolds();
      document.body.classList.toggle(openClass, open);
      $(button).setAttribute('aria-expanded', String(open));
      if (open) $(panel).querySelector('input, select, button')?.focus();
    });
  }
}

function closeFolds() {
  document.body.classList.remove('settings-open', 'conversations-open');
  $('toggle-settings').setAttribute('aria-expanded', 'false');
  $('toggle-conversations').setAttribute('aria-expanded', 'false');
}

export async function start() {
  wireSettings();
  wireComposer();
  renderParameters();
  renderConversation();
  await library.refreshList();
  const remembered = storage.get(OPEN_STORAGE);
  const reopen = state.list.find((item) => item.id === remembered) ?? state.list[0];
  try {
    if (reopen) await library.open(reopen.id);
  } catch (error) {
    announce(`Could not reopen the last conversation: ${error.message}`);
  }
  await loadModels();
}
