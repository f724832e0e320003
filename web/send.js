// Sending: the message box becomes a turn, the request streams through the API with the status line
// following its phases, the answer renders as markdown as it arrives, and its figures (tokens, cost, time
// to first text, total time) are kept with the turn. A refused request puts the message back in the box
// and shows the error once: on the image it concerns, else with the answer or above the box.
import { FILES_BETA } from './api.js';
import { showAnswer, showAnswerMeta, showError } from './chat-view.js';
import { $, fitTextarea } from './dom.js';
import { formatBytes } from './format.js';
import { placementOfError } from './problems.js';
import { refreshSpend } from './spend.js';
import {
  allImages,
  api,
  currentModel,
  ensureUploads,
  extraHeaders,
  keyNow,
  parameters,
  placements,
  request,
  sendSource,
  state,
} from './state.js';

/** Why Send is disabled ('' when it is not). */
export function sendBlocker(cards) {
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

/**
 * The page's hooks: status (the status line), mountTurn(turn), renderCards(), changed(options), save(),
 * recount() (the count_tokens total, held while the answer streams), announce(text).
 */
export function createSender({ status, mountTurn, renderCards, changed, save, recount, announce }) {
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
        beta: state.useFiles ? FILES_BETA : undefined,
        headers: extraHeaders(),
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
            // repair mode: what the server changed, shown on the images it concerns
            const repairs = usage.sightline?.repairs;
            if (Array.isArray(repairs) && repairs.length > 0) {
              turn.assistant.repairs = repairs;
              renderCards();
            }
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
      void refreshSpend(api, $('spend-today'));
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
      recount();
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

  return { send };
}
