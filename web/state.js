// The Workbench's state, and what is derived from it: the API key, the models, the parameter fields, the
// conversation with its message box, the request built from them and each image's figures and problem.
// One object, shared by the page's modules; the DOM is not touched here.
import { createApi } from './api.js';
import { newConversation } from './conversation.js';
import { costOf, findProblems, planFor } from './images.js';
import { readParameters } from './parameters.js';
import { buildRequest } from './request.js';

export const KEY_STORAGE = 'sightline.workbench.apiKey';
export const MODEL_STORAGE = 'sightline.workbench.model';
export const OPEN_STORAGE = 'sightline.workbench.open';

export const storage = {
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

export const state = {
  apiKey: storage.get(KEY_STORAGE) ?? defaultApiKey(),
  models: [],
  modelsError: null,
  model: '',
  /** The parameter fields as typed (validated by readParameters). */
  fields: { maxTokens: '1024', temperature: '', topP: '', topK: '', stopSequences: '' },
  useFiles: false,
  /** Repair mode: the server fixes images over a limit instead of refusing them (`sightline-repair`). */
  repairImages: false,
  showModelView: false,
  conversation: newConversation(),
  /** The stored conversations: [{ id, title, updatedAt }]. */
  list: [],
  /** image id → the API's message, from a count_tokens or send that the API refused for that image. */
  serverProblems: new Map(),
  sending: null,
};

export const keyNow = () => state.apiKey.trim();
export const api = createApi(keyNow);
export const currentModel = () => state.models.find((model) => model.id === state.model);
export const parameters = () => readParameters(state.fields, currentModel());
/** Headers beyond the API's own: Sightline's repair mode when it is on. */
export const extraHeaders = () => (state.repairImages ? { 'sightline-repair': 'images' } : {});

export const previewSource = (image) =>
  state.useFiles
    ? { type: 'file', file_id: image.fileIds.get(keyNow()) ?? '<uploaded when sent>' }
    : { type: 'base64', media_type: image.mediaType, data: `<base64: ${image.base64.length} bytes>` };
export const sendSource = (image) =>
  state.useFiles
    ? { type: 'file', file_id: image.fileIds.get(keyNow()) }
    : { type: 'base64', media_type: image.mediaType, data: image.base64 };

/** The request for the conversation and the message box (or without the box: `draft: false`). */
export function request(sourceFor, { draft = true } = {}) {
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

export const allImages = () => [
  ...state.conversation.turns.flatMap((turn) => turn.user.images),
  ...state.conversation.draft.images,
];

/** Uploads (once per API key) every image not yet in the Files API; onChange() when an upload starts or ends. */
export async function ensureUploads(onChange) {
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
          onChange();
        },
        (error) => {
          image.uploads.delete(key);
          image.uploadError = error;
          onChange();
          throw error;
        },
      );
      image.uploads.set(key, upload);
    }
    return upload;
  });
  if (started) onChange();
  await Promise.all(pending);
}

/** Every image of the request with its number, plan, cost and problem (the page's checks, then the API's). */
export function placements() {
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
      // a rejected image is not sent, so it costs nothing (a repaired one: its cost is known after repair)
      cost: plan && model && !problem ? costOf(plan.tokens, model) : 0,
      problem,
      problemSource: local ? 'page' : server ? 'api' : undefined,
      /** the page's check would refuse it, but repair mode lets the server fix it instead */
      repairable: Boolean(local) && state.repairImages,
      fileId: state.useFiles ? placement.image.fileIds.get(keyNow()) : undefined,
      uploading: state.useFiles && placement.image.uploads.has(keyNow()),
    };
  });
}
