// The request's size before sending: POST /v1/messages/count_tokens for the conversation and the message
// box, debounced (one request per pause in typing, the previous one aborted). A refusal about one image is
// shown on that image's card, not here: each problem is shown once.
import { isAbort, shownError } from './api.js';
import { $ } from './dom.js';
import { formatInt, formatPrice, formatUsd } from './format.js';
import { costOf } from './images.js';
import { placementOfError } from './problems.js';
import { countBody } from './request.js';
import {
  api,
  betaHeader,
  currentModel,
  extraHeaders,
  keyNow,
  placements,
  previewSource,
  request,
  sendSource,
  state,
} from './state.js';
import type { ShownError } from './types.js';
import { ensureUploads } from './uploads.js';

const COUNT_DELAY_MS = 300;

/** What the total shows: a count, or why there is none (a note, an error), or that one is coming. */
interface CountShown {
  tokens?: number;
  error?: ShownError;
  pending?: boolean;
  note?: string;
}

export type Counter = ReturnType<typeof createCounter>;

/** renderCards() re-renders the image cards (an upload's progress, a problem the API found). */
export function createCounter({ renderCards }: { renderCards: () => void }) {
  let countTimer = 0;
  let countSequence = 0;
  let countAbort: AbortController | undefined;

  function setCount({ tokens, error, pending, note }: CountShown) {
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
    showError(error ?? null);
  }

  /** Shows (or clears) an error where the total stands. */
  function showError(error: ShownError | null) {
    const box = $('count-error');
    box.hidden = !error;
    box.textContent = error ? `${error.type}: ${error.message}` : '';
  }

  function schedule() {
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
    if (cards.some((card) => card.problemSource === 'page' && !card.repairable))
      return setCount({ note: 'Not counted: an image would be rejected (see its card).' });
    if (request(previewSource).body.messages.length === 0) return setCount({ note: 'Nothing to count yet.' });
    try {
      if (state.useFiles) await ensureUploads(renderCards);
      if (sequence !== countSequence) return;
      const result = await api.countTokens(countBody(request(sendSource).body), {
        signal,
        beta: betaHeader(),
        headers: extraHeaders(),
      });
      if (sequence === countSequence) setCount({ tokens: result.input_tokens });
    } catch (error) {
      if (sequence !== countSequence || isAbort(error)) return;
      const shown = shownError(error);
      // the cards are the request's images, at the same paths whatever their sources
      const placement = placementOfError(shown.message, cards);
      if (placement) {
        // the API's word about one image: shown on that image's card, once
        state.serverProblems.set(placement.image.id, shown.message);
        renderCards();
        setCount({ note: 'Not counted: an image was refused (see its card).' });
      } else {
        setCount({ error: shown });
      }
    }
  }

  /** Stops a pending or running count (while an answer streams, the server's time is the answer's). */
  function cancel() {
    clearTimeout(countTimer);
    countSequence += 1;
    countAbort?.abort();
    setCount({ pending: true });
  }

  return { schedule, cancel, showError };
}
