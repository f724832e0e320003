// The Workbench's state, and what is derived from it: the API key, the models, the parameter fields, the
// conversation with its message box, the request built from them and each image's figures and problem.
// One object, shared by the page's modules; the DOM is not touched here.
import type { ImageSource } from '../src/wire/index.js';
import { createApi, FILES_BETA } from './api.js';
import { newConversation } from './conversation.js';
import { costOf, findProblems, planFor } from './images.js';
import { type ParameterFields, readParameters } from './parameters.js';
import { buildRequest, type SourceFor } from './request.js';
import { rememberedApiKey } from './storage.js';
import type { Card, Conversation, ConversationSummary, ModelInfo, PageImage } from './types.js';

export interface State {
  apiKey: string;
  models: ModelInfo[];
  /** Why the models could not be loaded (GET /v1/models failed). */
  modelsError: Error | null;
  /** The chosen model's id ('' while none). */
  model: string;
  /** The parameter fields as typed (validated by readParameters). */
  fields: ParameterFields;
  useFiles: boolean;
  /** Repair mode: the server fixes images over a limit instead of refusing them (`sightline-repair`). */
  repairImages: boolean;
  showModelView: boolean;
  conversation: Conversation;
  /** The stored conversations, most recent first. */
  list: ConversationSummary[];
  /** image id → the API's message, from a count_tokens or send that the API refused for that image. */
  serverProblems: Map<string, string>;
  /** The answer streaming now (its abort stops it), else null. */
  sending: AbortController | null;
}

export const state: State = {
  apiKey: rememberedApiKey(),
  models: [],
  modelsError: null,
  model: '',
  fields: { maxTokens: '1024', temperature: '', topP: '', topK: '', stopSequences: '' },
  useFiles: false,
  repairImages: false,
  showModelView: false,
  conversation: newConversation(),
  list: [],
  serverProblems: new Map(),
  sending: null,
};

export const keyNow = (): string => state.apiKey.trim();
export const api = createApi(keyNow);
export const currentModel = (): ModelInfo | undefined =>
  state.models.find((model) => model.id === state.model);
export const parameters = () => readParameters(state.fields, currentModel());
/** Headers beyond the API's own: Sightline's repair mode when it is on. */
export const extraHeaders = (): Record<string, string> =>
  state.repairImages ? { 'sightline-repair': 'images' } : {};
/** The anthropic-beta header the requests need: the Files API's when images go through it. */
export const betaHeader = (): string | undefined => (state.useFiles ? FILES_BETA : undefined);

/** The request panel's image sources: placeholders instead of the bytes (and of file ids not yet known). */
export const previewSource = (image: PageImage): ImageSource =>
  state.useFiles
    ? { type: 'file', file_id: image.fileIds.get(keyNow()) ?? '<uploaded when sent>' }
    : { type: 'base64', media_type: image.mediaType, data: `<base64: ${image.base64.length} bytes>` };

/** The sent image sources; with the Files API, call after ensureUploads (a file id is needed). */
export const sendSource = (image: PageImage): ImageSource => {
  if (!state.useFiles) return { type: 'base64', media_type: image.mediaType, data: image.base64 };
  const fileId = image.fileIds.get(keyNow());
  if (fileId === undefined) throw new Error(`${image.name} is not uploaded to the Files API yet`);
  return { type: 'file', file_id: fileId };
};

/** The request for the conversation and the message box (or without the box: `draft: false`). */
export function request(sourceFor: SourceFor, { draft = true }: { draft?: boolean } = {}) {
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

/** Every image of the conversation, sent and in the message box. */
export const allImages = (): PageImage[] => [
  ...state.conversation.turns.flatMap((turn) => turn.user.images),
  ...state.conversation.draft.images,
];

/** Every image of the request with its number, plan, cost and problem (the page's checks, then the API's). */
export function placements(): Card[] {
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
      repairable: Boolean(local) && state.repairImages,
      fileId: state.useFiles ? placement.image.fileIds.get(keyNow()) : undefined,
      uploading: state.useFiles && placement.image.uploads.has(keyNow()),
    };
  });
}
