// The chat's DOM: past turns (the user's message with its images, the answer as markdown with its figures)
// and the list of conversations kept in this browser (open, rename, delete).
import { h } from './dom.js';
import { formatDuration, formatInt, formatUsd } from './format.js';
import { renderMarkdown } from './markdown.js';
import type { Answer, ConversationSummary, ShownError, Turn, TurnView } from './types.js';

/** One turn's elements: its root, the user's image cards box, the answer, its figures, its error. */
export function createTurnView(turn: Turn): TurnView {
  const images = h('div', { class: 'image-grid sent' });
  const answer = h('div', { class: 'answer markdown', 'aria-live': 'off' });
  const meta = h('p', { class: 'answer-meta hint' });
  const error = h('div', { class: 'answer-error', role: 'alert', hidden: true });
  const root = h(
    'li',
    { class: 'turn' },
    h(
      'article',
      { class: 'message user-message', 'aria-label': 'You' },
      images,
      turn.user.text.trim() !== '' ? h('p', { class: 'user-text' }, turn.user.text) : null,
    ),
    h(
      'article',
      { class: 'message assistant-message', 'aria-label': 'Answer' },
      h('div', { class: 'assistant-avatar', 'aria-hidden': 'true' }, 'S'),
      h('div', { class: 'assistant-body' }, answer, meta, error),
    ),
  );
  images.hidden = turn.user.images.length === 0;
  return { root, images, answer, meta, error };
}

/** Renders the answer's markdown (during streaming too: the text so far). */
export function showAnswer(view: TurnView, text: string): void {
  renderMarkdown(view.answer, text);
  view.answer.classList.toggle('empty', text === '');
}

/**
 * The figures after an answer (a stored one's usage may be null). Kept in data attributes too, for whoever
 * reads the page programmatically.
 */
export function showAnswerMeta(view: TurnView, result: Answer): void {
  const { stopReason, cost, ttftMs, totalMs } = result;
  const usage = result.usage ?? {};
  const parts = [
    stopReason ?? 'stopped',
    `${formatInt(usage.input_tokens ?? 0)} input + ${formatInt(usage.output_tokens ?? 0)} output tokens`,
  ];
  if (cost !== undefined && cost !== null) parts.push(formatUsd(cost));
  if (ttftMs !== undefined && ttftMs !== null) parts.push(`first text after ${formatDuration(ttftMs)}`);
  if (totalMs !== undefined && totalMs !== null) parts.push(`total ${formatDuration(totalMs)}`);
  view.meta.textContent = parts.join(' · ');
  Object.assign(view.meta.dataset, {
    stopReason: stopReason ?? '',
    inputTokens: String(usage.input_tokens ?? 0),
    outputTokens: String(usage.output_tokens ?? 0),
    ...(ttftMs !== undefined && ttftMs !== null ? { ttftMs: String(Math.round(ttftMs)) } : {}),
    ...(totalMs !== undefined && totalMs !== null ? { totalMs: String(Math.round(totalMs)) } : {}),
  });
}

/** Shows an error (type and message) in a box, or hides the box. */
export function showError(box: HTMLElement, error: ShownError | null): void {
  if (!error) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.replaceChildren(
    h('strong', { class: 'error-type' }, error.type),
    ' ',
    h('span', { class: 'error-message' }, error.message),
  );
  box.hidden = false;
}

export interface ConversationListHandlers {
  onOpen(id: string): void;
  onRename(id: string, title: string): void;
  onDelete(id: string): void;
}

/** The conversations list; the current one is marked aria-current. */
export function renderConversationList(
  box: HTMLElement,
  items: readonly ConversationSummary[],
  currentId: string,
  handlers: ConversationListHandlers,
): void {
  if (items.length === 0) {
    box.replaceChildren(
      h('li', { class: 'hint empty-list' }, 'Conversations you start are kept here, in this browser.'),
    );
    return;
  }
  box.replaceChildren(
    ...items.map((item) => {
      const title = item.title || 'New conversation';
      const open = h(
        'button',
        {
          type: 'button',
          class: 'conversation-open',
          title,
          'aria-current': item.id === currentId ? 'true' : false,
          onclick: () => handlers.onOpen(item.id),
        },
        title,
      );
      const row = h('li', { class: 'conversation-item', dataset: { id: item.id } });
      const rename = h(
        'button',
        {
          type: 'button',
          class: 'icon-button',
          'aria-label': `Rename “${title}”`,
          title: 'Rename',
          onclick: () => {
            const input = h('input', {
              type: 'text',
              class: 'rename-input',
              value: title,
              'aria-label': 'New name',
            });
            let done = false;
            const commit = (save: boolean) => {
              if (done) return;
              done = true;
              const name = input.value.trim();
              if (save && name !== '' && name !== title) handlers.onRename(item.id, name);
              else row.replaceChildren(open, rename, remove);
            };
            input.addEventListener('keydown', (event) => {
              if (event.key === 'Enter') commit(true);
              else if (event.key === 'Escape') commit(false);
            });
            input.addEventListener('blur', () => commit(true));
            row.replaceChildren(input);
            input.focus();
            input.select();
          },
        },
        '✎',
      );
      const remove = h(
        'button',
        {
          type: 'button',
          class: 'icon-button',
          'aria-label': `Delete “${title}”`,
          title: 'Delete',
          onclick: () => handlers.onDelete(item.id),
        },
        '×',
      );
      row.append(open, rename, remove);
      return row;
    }),
  );
}
