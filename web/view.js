// The conversation's DOM: a turn (user block with its add-image button at the top right, assistant
// block), the image cards with their figures and the API's messages, and errors shown in place.
import { fitTextarea, h } from './dom.js';
import { formatBytes, formatInt, formatUsd } from './format.js';
import { ACCEPTED_TYPES } from './images.js';

/**
 * Builds one turn's elements. handlers: onUserInput, onAssistantInput, onFiles(files), onRemoveTurn.
 * Returns the parts the app updates later.
 */
export function createTurnView(turn, handlers) {
  const n = turn.id;
  const fileInput = h('input', {
    type: 'file',
    accept: ACCEPTED_TYPES.join(','),
    multiple: true,
    hidden: true,
    tabIndex: -1,
    onchange: () => {
      handlers.onFiles([...fileInput.files]);
      fileInput.value = '';
    },
  });
  const turnLabel = h('span', { class: 'turn-label' });
  const addImage = h(
    'button',
    { type: 'button', class: 'button small add-image', onclick: () => fileInput.click() },
    h('span', { 'aria-hidden': 'true' }, '+ '),
    'Add image',
  );
  const userText = h('textarea', {
    id: `user-text-${n}`,
    class: 'message-text',
    rows: 3,
    placeholder: 'Your message. Add, drop or paste images into this block.',
    oninput: () => {
      fitTextarea(userText);
      handlers.onUserInput(userText.value);
    },
  });
  const images = h('div', { class: 'image-grid' });
  const modelViews = h('div', { class: 'model-views' });
  const userLabel = h('label', { for: userText.id, class: 'block-title' }, 'User');
  const user = h(
    'section',
    { class: 'block user-block', 'aria-label': 'User message', dataset: { turnId: String(n) } },
    h(
      'header',
      { class: 'block-head' },
      userLabel,
      turnLabel,
      h('span', { class: 'spacer' }),
      addImage,
      fileInput,
    ),
    images,
    userText,
    h('p', { class: 'drop-hint', 'aria-hidden': 'true' }, 'Drop or paste JPEG, PNG, GIF or WebP images here'),
    modelViews,
  );
  for (const type of ['dragenter', 'dragover']) {
    user.addEventListener(type, (event) => {
      event.preventDefault();
      event.stopPropagation();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      user.classList.add('dragging');
    });
  }
  user.addEventListener('dragleave', (event) => {
    if (!user.contains(event.relatedTarget)) user.classList.remove('dragging');
  });
  user.addEventListener('drop', (event) => {
    event.preventDefault();
    event.stopPropagation();
    user.classList.remove('dragging');
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length > 0) handlers.onFiles(files);
  });
  user.addEventListener('paste', (event) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    handlers.onFiles(files);
  });

  const assistantText = h('textarea', {
    id: `assistant-text-${n}`,
    class: 'message-text',
    rows: 3,
    placeholder:
      'The answer streams in here when you send. Or type an earlier answer (a prefill on the last turn).',
    oninput: () => {
      fitTextarea(assistantText);
      handlers.onAssistantInput(assistantText.value);
    },
  });
  const removeTurn = h(
    'button',
    { type: 'button', class: 'button small quiet', onclick: handlers.onRemoveTurn },
    'Remove turn',
  );
  const meta = h('p', { class: 'block-meta hint' });
  const error = h('div', { class: 'block-error', role: 'alert', hidden: true });
  const assistant = h(
    'section',
    { class: 'block assistant-block', 'aria-label': 'Assistant message' },
    h(
      'header',
      { class: 'block-head' },
      h('label', { for: assistantText.id, class: 'block-title' }, 'Assistant'),
      h('span', { class: 'spacer' }),
      removeTurn,
    ),
    assistantText,
    meta,
    error,
  );
  const root = h('li', { class: 'turn', dataset: { turnId: String(n) } }, user, assistant);
  return {
    root,
    user,
    turnLabel,
    userText,
    addImage,
    images,
    modelViews,
    assistantText,
    removeTurn,
    meta,
    error,
  };
}

/** Shows an ApiError (or any error) in place: its type and the API's message. */
export function showError(box, error) {
  if (!error) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.replaceChildren(
    h('strong', { class: 'error-type' }, error.type ?? 'error'),
    ' ',
    h('span', { class: 'error-message' }, error.message ?? String(error)),
  );
  box.hidden = false;
}

function figures(card, model) {
  const { image, plan } = card;
  const kind = image.probe ? image.probe.format.toUpperCase() : image.mediaType;
  const rows = [
    [
      'Original',
      image.probe ? `${image.probe.width} × ${image.probe.height} px` : 'unreadable header',
      'original',
    ],
    ['File', `${formatBytes(image.size)} · ${kind}`, 'file'],
  ];
  if (plan) {
    rows.push(
      ['Model view', `${plan.viewWidth} × ${plan.viewHeight} px`, 'view'],
      ['Padded', `${plan.canvasWidth} × ${plan.canvasHeight} px`, 'canvas'],
      ['Tokens', formatInt(plan.tokens), 'tokens'],
      ['Cost', model ? formatUsd(card.cost) : '–', 'cost'],
    );
  }
  return h(
    'dl',
    { class: 'figures' },
    rows.map(([term, value, field]) =>
      h(
        'div',
        { class: 'figure-row' },
        h('dt', {}, term),
        h(
          'dd',
          { dataset: { field, ...(field === 'tokens' ? { tokens: String(plan.tokens) } : {}) } },
          value,
        ),
      ),
    ),
  );
}

/**
 * Renders a block's image cards. cards: [{ image, number, plan, cost, problem, fileId, uploading }].
 * handlers.onRemove(image) removes one.
 */
export function renderImageCards(box, cards, model, handlers) {
  box.replaceChildren(
    ...cards.map((card) => {
      const { image, number } = card;
      const thumb = h('img', {
        src: image.url,
        alt: `Image ${number}: ${image.name}`,
        loading: 'lazy',
        decoding: 'async',
        onerror: () => thumb.replaceWith(h('span', { class: 'no-preview' }, 'No preview')),
      });
      const upload = card.fileId
        ? h(
            'p',
            { class: 'file-id hint', title: card.fileId, dataset: { fileId: card.fileId } },
            `Files API: ${card.fileId}`,
          )
        : card.uploading
          ? h('p', { class: 'file-id hint' }, 'Uploading to the Files API…')
          : null;
      return h(
        'figure',
        {
          class: `image-card${card.problem ? ' rejected' : ''}`,
          dataset: { imageId: image.id, number: String(number) },
          'aria-label': `Image ${number}`,
        },
        h(
          'figcaption',
          { class: 'image-head' },
          h('span', { class: 'image-label' }, `Image ${number}:`),
          h('span', { class: 'image-name', title: image.name }, image.name),
          h(
            'button',
            {
              type: 'button',
              class: 'icon-button',
              'aria-label': `Remove Image ${number} (${image.name})`,
              title: 'Remove image',
              onclick: () => handlers.onRemove(image),
            },
            '×',
          ),
        ),
        h('div', { class: 'thumb' }, thumb),
        figures(card, model),
        upload,
        image.uploadError
          ? h('p', { class: 'image-problem', role: 'alert' }, `Upload failed: ${image.uploadError.message}`)
          : null,
        card.problem
          ? h('p', { class: 'image-problem', role: 'alert', dataset: { problem: '' } }, card.problem)
          : null,
      );
    }),
  );
}
