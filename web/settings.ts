// The settings panel: the API key (it loads the models), the model and what the page knows of it, the
// parameters validated as typed, the switches (Files API, repair mode, model views), the request panel's
// copies and the model-view dialog.
import { shownError } from './api.js';
import { $, fitTextarea } from './dom.js';
import { formatInt, formatPrice } from './format.js';
import type { ParameterFields } from './parameters.js';
import { copyAs, renderRequestPanel } from './request-panel.js';
import { refreshSpend } from './spend.js';
import { api, currentModel, keyNow, parameters, state } from './state.js';
import { KEY_STORAGE, MODEL_STORAGE, storage } from './storage.js';
import type { ShownError } from './types.js';

/** The page's hooks. */
export interface SettingsHooks {
  /** Something in the request changed (see app.ts). */
  changed(options?: { images?: boolean; save?: boolean }): void;
  renderCards(): void;
  renderSendState(): void;
  showCountError(error: ShownError): void;
  announce(text: string): void;
}

/** The checked parameter fields and their inputs' ids (each has an `<id>-error` box). */
const FIELD_INPUTS = {
  maxTokens: 'max-tokens',
  temperature: 'temperature',
  topP: 'top-p',
  topK: 'top-k',
} as const;

const SAMPLING_INPUTS = [
  ['temperature', 'temperature'],
  ['top_p', 'top-p'],
  ['top_k', 'top-k'],
] as const;

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
    `up to ${formatInt(maxImages)} images · ${formatPrice(price)} input, ${formatPrice(output)} output` +
    (model.lifecycle === 'deprecated'
      ? ` · deprecated${model.retires_at ? `, retires on ${model.retires_at.slice(0, 10)}` : ''}`
      : '');
}

export function renderParameters(): void {
  const { errors, accepted } = parameters();
  for (const [field, id] of Object.entries(FIELD_INPUTS) as [keyof typeof FIELD_INPUTS, string][]) {
    const box = $(`${id}-error`);
    const message = errors[field];
    $(id).setAttribute('aria-invalid', message ? 'true' : 'false');
    box.textContent = message ?? '';
    box.hidden = !message;
  }
  const refused = SAMPLING_INPUTS.filter(([name, id]) => {
    const off = !accepted.has(name);
    const input = $(id, HTMLInputElement);
    input.disabled = off;
    input.closest('.field')?.classList.toggle('unsupported', off);
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

/** Selects a model by id (a reopened conversation's), if the server has it. */
export function useModel(id: string): void {
  if (!state.models.some((model) => model.id === id)) return;
  state.model = id;
  $('model', HTMLSelectElement).value = id;
  renderModelInfo();
  renderParameters();
}

/** Loads the models with the key (or says a key is needed) and keeps the chosen model where it can. */
export async function loadModels({ changed }: Pick<SettingsHooks, 'changed'>): Promise<void> {
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
      const shown = shownError(error);
      state.models = [];
      state.modelsError = error instanceof Error ? error : new Error(shown.message);
      errorBox.textContent = `${shown.type}: ${shown.message}`;
      errorBox.hidden = false;
    }
  }
  const select = $('model', HTMLSelectElement);
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

/** A switch of the settings: its state follows the checkbox. */
function wireSwitch(id: string, set: (checked: boolean) => void) {
  const input = $(id, HTMLInputElement);
  input.addEventListener('change', () => set(input.checked));
}

export function wireSettings(hooks: SettingsHooks): void {
  const { changed, renderCards, renderSendState, showCountError, announce } = hooks;
  const key = $('api-key', HTMLInputElement);
  key.value = state.apiKey;
  key.addEventListener('input', () => {
    state.apiKey = key.value;
    storage.set(KEY_STORAGE, key.value);
    renderSendState();
  });
  key.addEventListener('change', () => void loadModels(hooks));
  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void loadModels(hooks);
  });
  const model = $('model', HTMLSelectElement);
  model.addEventListener('change', () => {
    state.model = model.value;
    storage.set(MODEL_STORAGE, state.model);
    renderModelInfo();
    renderParameters();
    changed({ images: true });
  });
  const system = $('system', HTMLTextAreaElement);
  system.addEventListener('input', () => {
    state.conversation.system = system.value;
    $('system-summary').textContent = system.value.trim() ? '(set)' : '';
    fitTextarea(system);
    changed();
  });
  const fields: [keyof ParameterFields, string][] = [
    ...(Object.entries(FIELD_INPUTS) as [keyof ParameterFields, string][]),
    ['stopSequences', 'stop-sequences'],
  ];
  for (const [field, id] of fields) {
    const input = field === 'stopSequences' ? $(id, HTMLTextAreaElement) : $(id, HTMLInputElement);
    input.addEventListener('input', () => {
      state.fields[field] = input.value;
      renderParameters();
      renderRequestPanel();
      renderSendState();
    });
  }
  wireSwitch('use-files', (checked) => {
    state.useFiles = checked;
    changed({ images: true, save: false });
  });
  wireSwitch('repair-images', (checked) => {
    state.repairImages = checked;
    changed({ images: true, save: false });
  });
  wireSwitch('show-model-view', (checked) => {
    state.showModelView = checked;
    renderCards();
  });
  const copyHooks = { renderCards, showError: showCountError, announce };
  $('copy-curl').addEventListener('click', () => void copyAs('curl', copyHooks));
  $('copy-ts').addEventListener('click', () => void copyAs('ts', copyHooks));
  const dialog = $('model-view-dialog', HTMLDialogElement);
  $('close-model-view').addEventListener('click', () => dialog.close());
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close(); // a click on the backdrop
  });
}
