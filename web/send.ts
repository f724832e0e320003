// Sending: the message box becomes a turn, the request streams through the API with the status line
// following its phases, the answer renders as markdown as it arrives, and its figures (tokens, cost, time
// to first text, total time) are kept with the turn. A refused request puts the message back in the box
// and shows the error once: on the image it concerns, else with the answer or above the box.
import type { StopReason, StreamEvent } from '../src/wire/index.js';
import { isAbort, shownError } from './api.js';
import { showAnswer, showAnswerMeta, showError } from './chat-view.js';
import { $, fitTextarea } from './dom.js';
import { formatBytes } from './format.js';
import { placementOfError } from './problems.js';
import { refreshSpend } from './spend.js';
import {
  allImages,
  api,
  betaHeader,
  currentModel,
  extraHeaders,
  keyNow,
  parameters,
  placements,
  request,
  sendSource,
  state,
} from './state.js';
import type { StatusLine } from './status.js';
import type { AnswerUsage, Card, ModelInfo, Placement, Turn, TurnView } from './types.js';
import { ensureUploads } from './uploads.js';

/** Why Send is disabled ('' when it is not). */
export function sendBlocker(cards: readonly Card[]): string {
  const draft = state.conversation.draft;
  if (state.sending) return 'Answering…';
  if (!keyNow()) return 'Enter an API key in Settings.';
  if (!currentModel())
    return state.modelsError ? 'No model: the models could not be loaded.' : 'Loading the models…';
  const { errors } = parameters();
  if (Object.keys(errors).length > 0) return 'Fix the parameters in Settings.';
  const rejected = cards.filter((card) => card.problem && !card.repairable);
  if (rejected.length > 0)
    return `${rejected.map((card) => `Image ${card.number}`).join(', ')} would be rejected: see the card${rejected.length > 1 ? 's' : ''}.`;
  if (draft.text.trim() === '' && draft.images.length === 0) return 'Type a message or attach an image.';
  return '';
}

/** The answer's cost: input and output tokens at the model's prices. */
export function answerCost(usage: AnswerUsage, model: ModelInfo | undefined): number | null {
  if (!model) return null;
  const { input_price_per_million: input, output_price_per_million: output } = model.sightline;
  const inputTokens =
    (usage.input_tokens ?? 0) +
    (usage.cache_creation_input_tokens ?? 0) +
    (usage.cache_read_input_tokens ?? 0);
  return (inputTokens * input + (usage.output_tokens ?? 0) * output) / 1_000_000;
}

/** message_delta's usage over message_start's: its counts are cumulative; a null one is not reported. */
export function mergeUsage(
  usage: AnswerUsage,
  delta: Extract<StreamEvent, { type: 'message_delta' }>['usage'],
): AnswerUsage {
  const merged: AnswerUsage = { ...usage, output_tokens: delta.output_tokens };
  if (delta.input_tokens !== null) merged.input_tokens = delta.input_tokens;
  if (delta.cache_creation_input_tokens !== null)
    merged.cache_creation_input_tokens = delta.cache_creation_input_tokens;
  if (delta.cache_read_input_tokens !== null) merged.cache_read_input_tokens = delta.cache_read_input_tokens;
  return merged;
}

/** The page's hooks. */
export interface SenderHooks {
  status: StatusLine;
  /** Creates the turn's elements in the chat (turn.view). */
  mountTurn(turn: Turn): TurnView;
  renderCards(): void;
  changed(options?: { images?: boolean; save?: boolean }): void;
  save(): Promise<void>;
  /** The count_tokens total, held while the answer streams. */
  recount(): void;
  announce(text: string): void;
}

export function createSender({
  status,
  mountTurn,
  renderCards,
  changed,
  save,
  recount,
  announce,
}: SenderHooks) {
  let renderPending = 0;

  /** Re-renders the streamed markdown at most once a frame (the first text at once). */
  function renderStreamed(view: TurnView, turn: Turn, now: boolean) {
    if (now) {
      cancelAnimationFrame(renderPending);
      renderPending = 0;
      showAnswer(view, turn.assistant.text);
      return;
    }
    renderPending ||= requestAnimationFrame(() => {
      renderPending = 0;
      showAnswer(view, turn.assistant.text);
    });
  }

  async function send() {
    if (sendBlocker(placements()) !== '') return;
    const { conversation } = state;
    const model = currentModel();
    const draft = conversation.draft;
    const turn: Turn = { user: { text: draft.text, images: draft.images }, assistant: { text: '' } };
    conversation.draft = { text: '', images: [] };
    conversation.turns.push(turn);
    const message = $('message', HTMLTextAreaElement);
    message.value = '';
    fitTextarea(message);
    const view = mountTurn(turn);
    view.root.classList.add('streaming');
    showError($('send-error'), null);
    const controller = new AbortController();
    state.sending = controller;
    changed({ images: true });
    status.start();
    view.root.scrollIntoView({ block: 'start', behavior: 'instant' });
    const live = $('live-answer');
    live.replaceChildren();
    announce('Sending…');

    const started = performance.now();
    let ttftMs: number | null = null;
    let usage: AnswerUsage = {};
    let stopReason: StopReason | null = null;
    let placed: Placement[] = [];
    try {
      if (state.useFiles) {
        const count = allImages().filter((image) => !image.fileIds.has(keyNow())).length;
        if (count > 0) status.set('uploading', `${count} image${count === 1 ? '' : 's'} to the Files API`);
        await ensureUploads(renderCards);
      }
      const built = request(sendSource, { draft: false });
      placed = built.placements;
      const { body } = built;
      const bodyText = JSON.stringify(body);
      const imageCount = placed.length;
      status.set('uploading', `the request, ${formatBytes(bodyText.length)}`);
      await api.streamMessage(body, {
        signal: controller.signal,
        beta: betaHeader(),
        headers: extraHeaders(),
        onUploadProgress: (sent, total) => {
          if (total > 0 && sent < total)
            status.set('uploading', `the request, ${formatBytes(sent)} of ${formatBytes(total)}`);
        },
        onUploaded: () => {
          if (imageCount > 0) status.set('preparing', `${imageCount} image${imageCount === 1 ? '' : 's'}`);
          else status.set('waiting');
        },
        onEvent: (event) => {
          if (event.type === 'message_start') {
            usage = { ...event.message.usage };
            // repair mode: what the server changed, shown on the images it concerns
            const repairs = usage.sightline?.repairs;
            if (repairs && repairs.length > 0) {
              turn.assistant.repairs = repairs;
              renderCards();
            }
            if (ttftMs === null) status.set('waiting');
          } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
            const first = ttftMs === null;
            if (first) {
              ttftMs = performance.now() - started;
              status.set('streaming');
            }
            turn.assistant.text += event.delta.text;
            renderStreamed(view, turn, first);
            live.append(document.createTextNode(event.delta.text));
          } else if (event.type === 'message_delta') {
            usage = mergeUsage(usage, event.usage);
            stopReason = event.delta.stop_reason;
          }
        },
      });
      const totalMs = performance.now() - started;
      Object.assign(turn.assistant, { stopReason, usage, cost: answerCost(usage, model), ttftMs, totalMs });
      renderStreamed(view, turn, true);
      showAnswerMeta(view, turn.assistant);
      status.finish('done', `Answered (${stopReason ?? 'done'})`);
      void refreshSpend(api, $('spend-today'));
      announce('The answer is complete.');
    } catch (error) {
      const totalMs = performance.now() - started;
      const stopped = isAbort(error);
      renderStreamed(view, turn, true);
      if (turn.assistant.text === '') {
        // nothing arrived: the message goes back into the box, to fix and send again
        conversation.turns.pop();
        view.root.remove();
        turn.view = undefined;
        conversation.draft = {
          text: conversation.draft.text || turn.user.text,
          images: [...turn.user.images, ...conversation.draft.images],
        };
        message.value = conversation.draft.text;
        fitTextarea(message);
      } else {
        Object.assign(turn.assistant, {
          stopReason: stopped ? 'stopped' : 'error',
          usage,
          cost: answerCost(usage, model),
          ttftMs,
          totalMs,
        });
        showAnswerMeta(view, turn.assistant);
      }
      if (stopped) {
        status.finish('stopped', 'Stopped');
        announce('Stopped.');
      } else {
        const shown = shownError(error);
        status.finish('failed', `Failed: ${shown.type}`);
        reportSendError(shown, turn, placed);
      }
    } finally {
      view.root.classList.remove('streaming');
      state.sending = null;
      renderCards();
      recount();
      $('empty-chat').hidden = conversation.turns.length > 0;
      await save();
    }
  }

  /** A refused request's error, once: on the image it concerns, else in the answer or above the box. */
  function reportSendError(error: { type: string; message: string }, turn: Turn, placed: Placement[]) {
    const placement = placementOfError(error.message, placed);
    if (placement) {
      state.serverProblems.set(placement.image.id, error.message);
      renderCards();
      announce(`Image ${placement.number} was refused: ${error.message}`);
      return;
    }
    if (state.conversation.turns.includes(turn) && turn.view) {
      turn.assistant.error = error;
      showError(turn.view.error, error);
    } else {
      showError($('send-error'), error);
    }
    announce(`The request failed: ${error.message}`);
  }

  return { send };
}
