// The Workbench's state and wiring: the chat (past turns above, one message box at the bottom with its
// images), the conversations kept in this browser, the settings and parameters, the image figures and
// checks before sending, the count_tokens total, the streamed answer with its status line and figures,
// the request panel and the Files API switch. The DOM of each part lives in its own module.
import { createApi, FILES_BETA } from './api.js';
import { renderImageCards } from './cards.js';
import {
  createTurnView,
  renderConversationList,
  showAnswer,
  showAnswerMeta,
  showError,
} from './chat-view.js';
import { toCurl, toTypeScript } from './code.js';
import { fromRecord, hasContent, newConversation, titleOf, toRecord } from './conversation.js';
import { copyText, fitTextarea } from './dom.js';
import { formatBytes, formatInt, formatPrice, formatUsd } from './format.js';
import { bitmapOf, costOf, findProblems, planFor, readImage } from './images.js';
import { createModelView } from './model-view.js';
import { readParameters } from './parameters.js';
import { placementOfError } from './problems.js';
import { buildRequest, countBody } from './request.js';
import { createStatusLine } from './status.js';
import * as store from './store.js';

const KEY_STORAGE = 'sightline.workbench.apiKey';
const MODEL_STORAGE = 'sightline.workbench.model';
const OPEN_STORAGE = 'sightline.workbench.open';
const COUNT_DELAY_MS = 300;
const SAVE_DELAY_MS = 300;

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
  modelsError: null,
  model: '',
  /** The parameter fields as typed (validated by readParameters). */
  fields: { maxTokens: '1024', temperature: '', topP: '', topK: '', stopSequences: '' },
  useFiles: false,
  showModelView: false,
  conversation: newConversation(),
  /** The stored conversations: [{ id, title, updatedAt }]. */
  list: [],
  /** image id → the API's message, from a count_tokens or send that the API refused for that image. */
  serverProblems: new Map(),
  sending: null,
};
let pastedCount = 0;

const api = createApi(() => state.apiKey.trim());
const status = createStatusLine($('status'));
const keyNow = () => state.apiKey.trim();
const currentModel = () => state.models.find((model) => model.id === state.model);
const parameters = () => readParameters(state.fields, currentModel());
const announce = (text) => {
  $('live-status').textContent = text;
};

// ---- the request ----

const previewSource = (image) =>
  state.useFiles
    ? { type: 'file', file_id: image.fileIds.get(keyNow()) ?? '<uploaded when sent>' }
    : { type: 'base64', media_type: image.mediaType, data: `<base64: ${image.base64.length} bytes>` };
const sendSource = (image) =>
  state.useFiles
    ? { type: 'file', file_id: image.fileIds.get(keyNow()) }
    : { type: 'base64', media_type: image.mediaType, data: image.base64 };

/** The request for the conversation and the message box (or without the box: `draft: false`). */
function request(sourceFor, { draft = true } = {}) {
  const { maxTokens, parameters: sent } = parameters();
  const { conversation } = state;
  return buildRequest(
    {
      model: state.model,
      system: conversation.system,
      maxTokens: maxTokens ?? Number(state.fields.maxTokens),
      parameters: sent,
      turns: conversation.turns,
      draft: draft ? conversation.draft : null,
    },
    sourceFor,
  );
}

const allImages = () => [
  ...state.conversation.turns.flatMap((turn) => turn.user.images),
  ...state.conversation.draft.images,
];

/** Uploads (once per API key) every image not yet in the Files API. */
async function ensureUploads() {
  const key = keyNow();
  let started = false;
  const pending = allImages().map((image) => {
    if (image.fileIds.has(key)) return Promise.resolve();
    let upload = image.uploads.get(key);
    if (!upload) {
      started = true;
      image.uploadError = null;
      upload = api.uploadFile(image.blob, image.name).then(
        (metadata) => {
          image.fileIds.set(key, metadata.id);
          image.uploads.delete(key);
          renderCards();
        },
        (error) => {
          image.uploads.delete(key);
          image.uploadError = error;
          renderCards();
          throw error;
        },
      );
      image.uploads.set(key, upload);
    }
    return upload;
  });
  if (started) renderCards();
  await Promise.all(pending);
}

// ---- figures, cards, model views ----

/** Every image of the request with its number, plan, cost and problem (the page's checks, then the API's). */
function placements() {
  const model = currentModel();
  const { placements: placed } = request(previewSource);
  const problems = findProblems(placed, model, state.useFiles);
  return placed.map((placement) => {
    const plan = planFor(placement.image, model);
    const local = problems.get(placement.image.id) ?? null;
    const server = state.serverProblems.get(placement.image.id) ?? null;
    const problem = local ?? server;
    return {
      ...placement,
      plan,
      // a rejected image is not sent, so it costs nothing
      cost: plan && model && !problem ? costOf(plan.tokens, model) : 0,
      problem,
      problemSource: local ? 'page' : server ? 'api' : undefined,
      fileId: state.useFiles ? placement.image.fileIds.get(keyNow()) : undefined,
      uploading: state.useFiles && placement.image.uploads.has(keyNow()),
    };
  });
}

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
    const own = cards.filter((card) => turn.user.images.includes(card.image));
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
    (output !== undefined ? `, ${formatPrice(output)} output` : '');
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

let countTimer;
let countSequence = 0;
let countAbort;

function setCount({ tokens, error, pending, note }) {
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
    $('total-cost').textContent = note ?? '';
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
  const cards = placements();
  // Nothing to count, or nothing the API would count: say why once, where it belongs, not here again.
  if (!keyNow() || !currentModel()) return setCount({});
  if (cards.some((card) => card.problemSource === 'page'))
    return setCount({ note: 'Not counted: an image would be rejected (see its card).' });
  const { body, placements: placed } = request(sendSource);
  if (body.messages.length === 0) return setCount({ note: 'Nothing to count yet.' });
  try {
    if (state.useFiles) await ensureUploads();
    if (sequence !== countSequence) return;
    const result = await api.countTokens(countBody(request(sendSource).body), {
      signal,
      beta: state.useFiles ? FILES_BETA : undefined,
    });
    if (sequence === countSequence) setCount({ tokens: result.input_tokens });
  } catch (error) {
    if (sequence !== countSequence || error.name === 'AbortError') return;
    const placement = placementOfError(error.message, placed);
    if (placement) {
      // the API's word about one image: shown on that image's card, once
      state.serverProblems.set(placement.image.id, error.message);
      renderCards();
      setCount({ note: 'Not counted: an image was refused (see its card).' });
    } else {
      setCount({ error });
    }
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

// ---- Send: enabled only for a request that can be sent ----

/** Why Send is disabled ('' when it is not). */
function sendBlocker(cards) {
  const draft = state.conversation.draft;
  if (state.sending) return 'Answering…';
  if (!keyNow()) return 'Enter an API key in Settings.';
  if (!currentModel())
    return state.modelsError ? 'No model: the models could not be loaded.' : 'Loading the models…';
  const { errors } = parameters();
  if (Object.keys(errors).length > 0) return 'Fix the parameters in Settings.';
  const rejected = cards.filter((card) => card.problem);
  if (rejected.length > 0)
    return `${rejected.map((card) => `Image ${card.number}`).join(', ')} would be rejected: see the card${rejected.length > 1 ? 's' : ''}.`;
  if (draft.text.trim() === '' && draft.images.length === 0) return 'Type a message or attach an image.';
  return '';
}

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

let saveTimer;

/** Something in the request changed: re-render what depends on it, recount, save. */
function changed({ images = false, save = true } = {}) {
  state.serverProblems.clear();
  if (images) renderCards();
  else {
    renderRequestPanel();
    renderSendState();
  }
  $('empty-chat').hidden = state.conversation.turns.length > 0;
  scheduleCount();
  if (save) scheduleSave();
}

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
    announce(`Could not keep the conversation in this browser: ${error.message}`);
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

function startNewConversation() {
  if (state.sending) return;
  state.conversation = newConversation();
  renderConversation();
  void refreshList();
  closeFolds();
  $('message').focus();
}

async function openConversation(id) {
  if (state.sending) return;
  const record = await store.loadConversation(id);
  if (!record) return;
  await save(); // keep what the current one holds
  const conversation = await fromRecord(record);
  state.conversation = conversation;
  if (conversation.model && state.models.some((model) => model.id === conversation.model)) {
    state.model = conversation.model;
    $('model').value = state.model;
    renderModelInfo();
    renderParameters();
  }
  storage.set(OPEN_STORAGE, id);
  renderConversation();
  await refreshList();
  closeFolds();
  announce(`Opened “${titleOf(conversation)}”.`);
}

async function renameConversation(id, title) {
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

async function deleteConversation(id) {
  if (state.sending && id === state.conversation.id) return;
  await store.deleteConversation(id);
  if (id === state.conversation.id) {
    state.conversation = newConversation();
    renderConversation();
  }
  await refreshList();
  announce('Deleted the conversation.');
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

let renderPending = 0;

/** Re-renders the streamed markdown at most once a frame (the first text at once). */
function renderStreamed(turn, now) {
  if (now) {
    cancelAnimationFrame(renderPending);
    renderPending = 0;
    showAnswer(turn.view, turn.assistant.text);
    return;
  }
  renderPending ||= requestAnimationFrame(() => {
    renderPending = 0;
    showAnswer(turn.view, turn.assistant.text);
  });
}

/** The answer's cost: input and output tokens at the model's prices. */
function answerCost(usage, model) {
  if (!model) return null;
  const { input_price_per_million: input, output_price_per_million: output } = model.sightline;
  const inputTokens =
    (usage.input_tokens ?? 0) +
    (usage.cache_creation_input_tokens ?? 0) +
    (usage.cache_read_input_tokens ?? 0);
  return (inputTokens * input + (usage.output_tokens ?? 0) * (output ?? 0)) / 1_000_000;
}

async function send() {
  if (sendBlocker(placements()) !== '') return;
  const { conversation } = state;
  const model = currentModel();
  const draft = conversation.draft;
  const turn = { user: { text: draft.text, images: draft.images }, assistant: { text: '' } };
  conversation.draft = { text: '', images: [] };
  conversation.turns.push(turn);
  $('message').value = '';
  fitTextarea($('message'));
  mountTurn(turn);
  turn.view.root.classList.add('streaming');
  showError($('send-error'), null);
  const controller = new AbortController();
  state.sending = controller;
  changed({ images: true });
  status.start();
  turn.view.root.scrollIntoView({ block: 'start', behavior: 'instant' });
  const live = $('live-answer');
  live.replaceChildren();
  announce('Sending…');

  const started = performance.now();
  let ttftMs = null;
  let usage = {};
  let stopReason = null;
  let placed = [];
  try {
    if (state.useFiles) {
      const count = allImages().filter((image) => !image.fileIds.has(keyNow())).length;
      if (count > 0) status.set('uploading', `${count} image${count === 1 ? '' : 's'} to the Files API`);
      await ensureUploads();
    }
    const built = request(sendSource, { draft: false });
    placed = built.placements;
    const { body } = built;
    const bodyText = JSON.stringify(body);
    const imageCount = placed.length;
    status.set('uploading', `the request, ${formatBytes(bodyText.length)}`);
    await api.streamMessage(body, {
      signal: controller.signal,
      beta: state.useFiles ? FILES_BETA : undefined,
      onUploadProgress: (sent, total) => {
        if (total > 0 && sent < total)
          status.set('uploading', `the request, ${formatBytes(sent)} of ${formatBytes(total)}`);
      },
      onUploaded: () => {
        if (imageCount > 0) status.set('preparing', `${imageCount} image${imageCount === 1 ? '' : 's'}`);
        else status.set('waiting');
      },
      onEvent: (name, data) => {
        if (name === 'message_start') {
          usage = { ...data.message.usage };
          if (ttftMs === null) status.set('waiting');
        } else if (name === 'content_block_delta' && data.delta.type === 'text_delta') {
          const first = ttftMs === null;
          if (first) {
            ttftMs = performance.now() - started;
            status.set('streaming');
          }
          turn.assistant.text += data.delta.text;
          renderStreamed(turn, first);
          live.append(document.createTextNode(data.delta.text));
        } else if (name === 'message_delta') {
          usage = {
            ...usage,
            ...Object.fromEntries(Object.entries(data.usage ?? {}).filter(([, value]) => value !== null)),
          };
          stopReason = data.delta.stop_reason;
        }
      },
    });
    const totalMs = performance.now() - started;
    Object.assign(turn.assistant, { stopReason, usage, cost: answerCost(usage, model), ttftMs, totalMs });
    renderStreamed(turn, true);
    showAnswerMeta(turn.view, turn.assistant);
    status.finish('done', `Answered (${stopReason ?? 'done'})`);
    announce('The answer is complete.');
  } catch (error) {
    const totalMs = performance.now() - started;
    renderStreamed(turn, true);
    if (turn.assistant.text === '') {
      // nothing arrived: the message goes back into the box, to fix and send again
      conversation.turns.pop();
      turn.view.root.remove();
      conversation.draft = {
        text: conversation.draft.text || turn.user.text,
        images: [...turn.user.images, ...conversation.draft.images],
      };
      $('message').value = conversation.draft.text;
      fitTextarea($('message'));
    } else {
      Object.assign(turn.assistant, {
        stopReason: error.name === 'AbortError' ? 'stopped' : 'error',
        usage,
        cost: answerCost(usage, model),
        ttftMs,
        totalMs,
      });
      showAnswerMeta(turn.view, turn.assistant);
    }
    if (error.name === 'AbortError') {
      status.finish('stopped', 'Stopped');
      announce('Stopped.');
    } else {
      status.finish('failed', `Failed: ${error.type ?? 'error'}`);
      reportSendError(error, turn, placed);
    }
  } finally {
    turn.view.root.classList.remove('streaming');
    state.sending = null;
    renderCards();
    $('empty-chat').hidden = conversation.turns.length > 0;
    await save();
  }
}

/** A refused request's error, once: on the image it concerns, else in the answer or above the box. */
function reportSendError(error, turn, placed) {
  const placement = placementOfError(error.message, placed);
  if (placement) {
    state.serverProblems.set(placement.image.id, error.message);
    renderCards();
    announce(`Image ${placement.number} was refused: ${error.message}`);
    return;
  }
  if (state.conversation.turns.includes(turn)) {
    turn.assistant.error = { type: error.type ?? 'error', message: error.message };
    showError(turn.view.error, error);
  } else {
    showError($('send-error'), error);
  }
  announce(`The request failed: ${error.message}`);
}

// ---- models and settings ----

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
    ...state.models.map((model) => new Option(model.display_name, model.id, false, model.id === state.model)),
  );
  select.disabled = state.models.length === 0;
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
      void send();
    }
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  });
  $('send').addEventListener('click', () => void send());
  $('stop').addEventListener('click', () => state.sending?.abort());
  const fileInput = $('file-input');
  $('attach').addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    void addImages([...fileInput.files]);
    fileInput.value = '';
  });
  $('new-conversation').addEventListener('click', startNewConversation);

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
  await refreshList();
  const remembered = storage.get(OPEN_STORAGE);
  const reopen = state.list.find((item) => item.id === remembered) ?? state.list[0];
  if (reopen) await openConversation(reopen.id);
  await loadModels();
}
