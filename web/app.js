// The Workbench's state and wiring: settings, turns, images, the debounced count_tokens total, the
// streamed answer, the request panel and the Files API switch.
import { ApiError, createApi, FILES_BETA } from './api.js';
import { toCurl, toTypeScript } from './code.js';
import { copyText, fitTextarea } from './dom.js';
import { formatBytes, formatInt, formatPrice, formatUsd } from './format.js';
import { bitmapOf, costOf, findProblems, planFor, readImage } from './images.js';
import { createModelView } from './model-view.js';
import { buildRequest, countBody } from './request.js';
import { createTurnView, renderImageCards, showError } from './view.js';

const KEY_STORAGE = 'sightline.workbench.apiKey';
const MODEL_STORAGE = 'sightline.workbench.model';
const COUNT_DELAY_MS = 300;

const $ = (id) => document.getElementById(id);
const storage = {
  get: (key) => {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set: (key, value) => {
    try {
      localStorage.setItem(key, value);
    } catch {
      // storage disabled: the value lasts for this page only
    }
  },
};

/**
 * The first visit's key, random per browser: a fixed default could be guessed by a page that reaches
 * the server through DNS rebinding. Kept in localStorage like any key typed in.
 */
function defaultApiKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  const key = `workbench-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
  storage.set(KEY_STORAGE, key);
  return key;
}

const state = {
  apiKey: storage.get(KEY_STORAGE) ?? defaultApiKey(),
  models: [],
  model: '',
  system: '',
  maxTokens: 1024,
  useFiles: false,
  showModelView: false,
  turns: [],
  sending: null,
};
let nextTurnId = 1;
let pastedCount = 0;

const api = createApi(() => state.apiKey.trim());
const currentModel = () => state.models.find((model) => model.id === state.model);
const announce = (text) => {
  $('live-status').textContent = text;
};

// ---- request ----

const keyNow = () => state.apiKey.trim();
const previewSource = (image) =>
  state.useFiles
    ? { type: 'file', file_id: image.fileIds.get(keyNow()) ?? '<uploaded when sent>' }
    : { type: 'base64', media_type: image.mediaType, data: `<base64: ${image.base64.length} bytes>` };
const sendSource = (image) =>
  state.useFiles
    ? { type: 'file', file_id: image.fileIds.get(keyNow()) }
    : { type: 'base64', media_type: image.mediaType, data: image.base64 };
const request = (sourceFor) => buildRequest(state, sourceFor);

/** Uploads (once per API key) every image not yet in the Files API. */
async function ensureUploads() {
  const key = keyNow();
  const images = state.turns.flatMap((turn) => turn.user.images);
  let started = false;
  const pending = images.map((image) => {
    if (image.fileIds.has(key)) return Promise.resolve();
    let upload = image.uploads.get(key);
    if (!upload) {
      started = true;
      image.uploadError = null;
      upload = api.uploadFile(image.blob, image.name).then(
        (metadata) => {
          image.fileIds.set(key, metadata.id);
          image.uploads.delete(key);
          renderImages();
        },
        (error) => {
          image.uploads.delete(key);
          image.uploadError = error;
          renderImages();
          throw error;
        },
      );
      image.uploads.set(key, upload);
    }
    return upload;
  });
  if (started) renderImages();
  await Promise.all(pending);
}

// ---- figures, cards, model views ----

function placements() {
  const model = currentModel();
  const { placements: placed } = request(previewSource);
  const problems = findProblems(placed, model, state.useFiles);
  return placed.map((placement) => {
    const plan = planFor(placement.image, model);
    return {
      ...placement,
      plan,
      cost: plan && model ? costOf(plan.tokens, model) : 0,
      problem: problems.get(placement.image.id) ?? null,
      fileId: state.useFiles ? placement.image.fileIds.get(keyNow()) : undefined,
      uploading: state.useFiles && placement.image.uploads.has(keyNow()),
    };
  });
}

function renderImages() {
  const model = currentModel();
  const cards = placements();
  for (const turn of state.turns) {
    const own = cards.filter((card) => turn.user.images.includes(card.image));
    renderImageCards(turn.view.images, own, model, { onRemove: (image) => removeImage(turn, image) });
    turn.view.user.classList.toggle('has-images', own.length > 0);
  }
  const tokens = cards.reduce((sum, card) => sum + (card.plan?.tokens ?? 0), 0);
  const rejected = cards.filter((card) => card.problem).length;
  $('images-total').textContent =
    cards.length === 0
      ? 'No images yet.'
      : `${cards.length} image${cards.length === 1 ? '' : 's'}: ${formatInt(tokens)} tokens` +
        (model ? ` · ${formatUsd(costOf(tokens, model))}` : '') +
        (rejected ? ` · ${rejected} would be rejected` : '');
  renderRequestPanel();
}

function renderModelViews() {
  const cards = state.showModelView ? placements() : [];
  for (const turn of state.turns) {
    const own = cards.filter((card) => turn.user.images.includes(card.image));
    turn.view.modelViews.replaceChildren(...own.map(createModelView));
    turn.view.modelViews.hidden = own.length === 0;
  }
}

function renderModelInfo() {
  const model = currentModel();
  if (!model) {
    $('model-info').textContent = '';
    return;
  }
  const { profile, max_images: maxImages, input_price_per_million: price } = model.sightline;
  $('model-info').textContent =
    `${model.id} · model view: long edge ≤ ${formatInt(profile.max_long_edge)} px, ≤ ${formatInt(profile.max_tokens)} tokens per image · ` +
    `up to ${formatInt(maxImages)} images · ${formatPrice(price)} input`;
}

// ---- count_tokens ----

let countTimer;
let countSequence = 0;
let countAbort;

function setCount({ tokens, error, pending }) {
  const totals = $('totals');
  const figure = $('total-tokens');
  totals.setAttribute('aria-busy', pending ? 'true' : 'false');
  totals.classList.toggle('pending', Boolean(pending));
  if (pending) return;
  const model = currentModel();
  if (tokens !== undefined) {
    figure.textContent = formatInt(tokens);
    figure.dataset.tokens = String(tokens);
    const cost = model ? costOf(tokens, model) : 0;
    $('total-cost').textContent = model
      ? `${formatUsd(cost)} at ${formatPrice(model.sightline.input_price_per_million)}`
      : '';
    $('topbar-total').textContent =
      `${formatInt(tokens)} input tokens${model ? ` · ${formatUsd(cost)}` : ''}`;
  } else {
    figure.textContent = '–';
    figure.dataset.tokens = '';
    $('total-cost').textContent = '';
    $('topbar-total').textContent = '';
  }
  showCountError(error);
}

function showCountError(error) {
  const box = $('count-error');
  box.hidden = !error;
  box.textContent = error ? `${error.type ?? 'error'}: ${error.message}` : '';
}

function scheduleCount() {
  clearTimeout(countTimer);
  countSequence += 1;
  setCount({ pending: true });
  countTimer = setTimeout(runCount, COUNT_DELAY_MS);
}

async function runCount() {
  const sequence = ++countSequence;
  countAbort?.abort();
  countAbort = new AbortController();
  const { signal } = countAbort;
  try {
    if (!currentModel()) throw new ApiError('invalid_request_error', 'Choose a model');
    if (state.useFiles) await ensureUploads();
    if (sequence !== countSequence) return;
    const { body } = request(sendSource);
    const result = await api.countTokens(countBody(body), {
      signal,
      beta: state.useFiles ? FILES_BETA : undefined,
    });
    if (sequence === countSequence) setCount({ tokens: result.input_tokens });
  } catch (error) {
    if (sequence === countSequence && error.name !== 'AbortError') setCount({ error });
  }
}

// ---- request panel and copies ----

function renderRequestPanel() {
  const { body } = request(previewSource);
  $('request-json').firstElementChild.textContent = JSON.stringify(body, null, 2);
  $('request-endpoint').textContent =
    `POST ${location.origin}/v1/messages · x-api-key, anthropic-version: 2023-06-01` +
    (state.useFiles ? `, anthropic-beta: ${FILES_BETA}` : '');
}

async function copyAs(kind) {
  try {
    if (state.useFiles) await ensureUploads();
    let text;
    if (kind === 'curl') {
      text = toCurl(request(sendSource).body, {
        origin: location.origin,
        beta: state.useFiles ? FILES_BETA : '',
      });
    } else {
      const files = new Map();
      const { body } = request((image, number) => {
        if (state.useFiles) return sendSource(image);
        const marker = `__sightline_image_${number}__`;
        files.set(marker, image.name);
        return { type: 'base64', media_type: image.mediaType, data: marker };
      });
      text = toTypeScript(body, { origin: location.origin, files, fileIds: state.useFiles });
    }
    await copyText(text);
    announce(
      `Copied the request as ${kind === 'curl' ? 'a curl command' : 'TypeScript'} (${formatBytes(text.length)}).`,
    );
    flash(kind === 'curl' ? 'copy-curl' : 'copy-ts', 'Copied');
  } catch (error) {
    showCountError(error);
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

// ---- conversation ----

function changed({ images = false } = {}) {
  if (images) {
    renderImages();
    renderModelViews();
  } else {
    renderRequestPanel();
  }
  scheduleCount();
}

function addTurn({ focus = true } = {}) {
  const turn = {
    id: nextTurnId++,
    user: { text: '', images: [] },
    assistant: { text: '', origin: 'typed', prefill: '' },
    view: null,
  };
  turn.view = createTurnView(turn, {
    onUserInput: (text) => {
      turn.user.text = text;
      changed();
    },
    onAssistantInput: (text) => {
      turn.assistant.text = text;
      turn.assistant.origin = 'typed';
      turn.assistant.prefill = '';
      changed();
    },
    onFiles: (files) => addImages(turn, files),
    onRemoveTurn: () => removeTurn(turn),
  });
  state.turns.push(turn);
  $('turns').append(turn.view.root);
  renumberTurns();
  changed({ images: true });
  if (focus) turn.view.userText.focus();
}

function removeTurn(turn) {
  if (state.turns.length === 1 || state.sending) return;
  const index = state.turns.indexOf(turn);
  state.turns.splice(index, 1);
  for (const image of turn.user.images) URL.revokeObjectURL(image.url);
  turn.view.root.remove();
  renumberTurns();
  changed({ images: true });
  (state.turns[index] ?? state.turns[index - 1]).view.userText.focus();
  announce(`Removed turn ${index + 1}.`);
}

function renumberTurns() {
  state.turns.forEach((turn, index) => {
    turn.view.turnLabel.textContent = `Turn ${index + 1}`;
    turn.view.user.setAttribute('aria-label', `User message, turn ${index + 1}`);
    turn.view.addImage.setAttribute('aria-label', `Add image to the user message of turn ${index + 1}`);
    turn.view.removeTurn.disabled = state.turns.length === 1;
    turn.view.removeTurn.setAttribute('aria-label', `Remove turn ${index + 1}`);
  });
}

async function addImages(turn, files) {
  const added = [];
  for (const file of files) {
    const fallback = `pasted-${++pastedCount}.${(file.type.split('/')[1] ?? 'bin').replace('jpeg', 'jpg')}`;
    const image = await readImage(file, fallback);
    turn.user.images.push(image);
    added.push(image);
    void bitmapOf(image);
  }
  changed({ images: true });
  const numbers = placements()
    .filter((card) => added.includes(card.image))
    .map((card) => `Image ${card.number}${card.problem ? ` (would be rejected: ${card.problem})` : ''}`);
  announce(`Added ${numbers.join(', ')}.`);
}

function removeImage(turn, image) {
  turn.user.images.splice(turn.user.images.indexOf(image), 1);
  URL.revokeObjectURL(image.url);
  changed({ images: true });
  turn.view.addImage.focus();
  announce(`Removed ${image.name}.`);
}

// ---- sending ----

function setSending(controller) {
  state.sending = controller;
  $('send').disabled = Boolean(controller);
  $('stop').hidden = !controller;
  $('send-status').textContent = controller ? 'Streaming…' : '';
  for (const turn of state.turns) turn.view.assistantText.readOnly = Boolean(controller);
}

async function send() {
  if (state.sending) return;
  const turn = state.turns.at(-1);
  const { view, assistant } = turn;
  const controller = new AbortController();
  const previous = { ...assistant };
  let received = false;
  showError(view.error, null);
  if (assistant.origin === 'typed') assistant.prefill = assistant.text;
  assistant.origin = 'streamed';
  assistant.text = assistant.prefill;
  view.assistantText.value = assistant.text;
  fitTextarea(view.assistantText);
  view.meta.textContent = '';
  const live = $('live-answer');
  live.replaceChildren();
  view.assistantText.setAttribute('aria-busy', 'true');
  setSending(controller);
  announce('Sending the request…');
  let usage = {};
  let stopReason = null;
  try {
    if (!currentModel()) throw new ApiError('invalid_request_error', 'Choose a model');
    if (state.useFiles) await ensureUploads();
    const { body } = request(sendSource);
    renderRequestPanel();
    await api.streamMessage(body, {
      signal: controller.signal,
      beta: state.useFiles ? FILES_BETA : undefined,
      onEvent: (name, data) => {
        if (name === 'message_start') {
          usage = { ...data.message.usage };
          view.meta.textContent = `Streaming… ${formatInt(usage.input_tokens ?? 0)} input tokens`;
        } else if (name === 'content_block_delta' && data.delta.type === 'text_delta') {
          received = true;
          assistant.text += data.delta.text;
          view.assistantText.value = assistant.text;
          fitTextarea(view.assistantText);
          live.append(document.createTextNode(data.delta.text));
        } else if (name === 'message_delta') {
          usage = {
            ...usage,
            ...Object.fromEntries(Object.entries(data.usage ?? {}).filter(([, v]) => v !== null)),
          };
          stopReason = data.delta.stop_reason;
        }
      },
    });
    view.meta.textContent =
      `${stopReason ?? 'done'} · ${formatInt(usage.input_tokens ?? 0)} input · ` +
      `${formatInt(usage.output_tokens ?? 0)} output tokens`;
    announce('The answer is complete.');
  } catch (error) {
    if (!received) {
      // nothing arrived: keep what the block held before
      Object.assign(assistant, previous);
      view.assistantText.value = assistant.text;
      fitTextarea(view.assistantText);
    }
    if (error.name === 'AbortError') {
      view.meta.textContent = 'Stopped.';
      announce('Stopped.');
    } else {
      showError(view.error, error);
      view.meta.textContent = '';
    }
  } finally {
    view.assistantText.setAttribute('aria-busy', 'false');
    setSending(null);
  }
}

// ---- models and settings ----

async function loadModels() {
  const errorBox = $('models-error');
  try {
    state.models = await api.listModels();
    errorBox.hidden = true;
  } catch (error) {
    state.models = [];
    errorBox.textContent = `${error.type ?? 'error'}: ${error.message}`;
    errorBox.hidden = false;
  }
  const select = $('model');
  const remembered = storage.get(MODEL_STORAGE);
  const keep = [state.model, remembered].find((id) => state.models.some((model) => model.id === id));
  state.model = keep ?? state.models[0]?.id ?? '';
  select.replaceChildren(
    ...state.models.map((model) => new Option(model.display_name, model.id, false, model.id === state.model)),
  );
  select.disabled = state.models.length === 0;
  renderModelInfo();
  changed({ images: true });
}

function wireSettings() {
  const key = $('api-key');
  key.value = state.apiKey;
  key.addEventListener('input', () => {
    state.apiKey = key.value;
    storage.set(KEY_STORAGE, key.value);
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
    changed({ images: true });
  });
  $('system').addEventListener('input', (event) => {
    state.system = event.target.value;
    fitTextarea(event.target);
    changed();
  });
  $('max-tokens').addEventListener('input', (event) => {
    const value = Number(event.target.value);
    state.maxTokens = Number.isInteger(value) && value > 0 ? value : 1024;
    renderRequestPanel();
  });
  $('use-files').addEventListener('change', (event) => {
    state.useFiles = event.target.checked;
    changed({ images: true });
  });
  $('show-model-view').addEventListener('change', (event) => {
    state.showModelView = event.target.checked;
    renderModelViews();
  });
  $('add-turn').addEventListener('click', () => addTurn());
  $('send').addEventListener('click', () => void send());
  $('stop').addEventListener('click', () => state.sending?.abort());
  $('copy-curl').addEventListener('click', () => void copyAs('curl'));
  $('copy-ts').addEventListener('click', () => void copyAs('ts'));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  });
  // a file dropped outside a user block must not replace the page
  for (const type of ['dragover', 'drop']) window.addEventListener(type, (event) => event.preventDefault());
}

export function start() {
  wireSettings();
  addTurn({ focus: false });
  void loadModels();
}
