// Image cards: each image with the user's number ("Image 3:"), its thumbnail (the original, or the model
// view when that switch is on; either opens the model view large), its figures (original size, file,
// model view, padded canvas, tokens, cost) and, once, the problem the API would have with it and the fix.

import type { RepairedImageFacts, RepairReport } from '../src/wire/index.js';
import { h } from './dom.js';
import { formatBytes, formatInt, formatUsd } from './format.js';
import { createModelThumb } from './model-view.js';
import { describeProblem } from './problems.js';
import type { Card, ModelInfo, PageImage } from './types.js';

export interface CardOptions {
  model: ModelInfo | undefined;
  useFiles: boolean;
  showModelView: boolean;
  /** Sent images: the short card (tokens and cost on one line). */
  compact?: boolean | undefined;
  /** The message box's images: the remove button (omitted for sent images). */
  onRemove?: ((image: PageImage) => void) | undefined;
  /** Opens the card's model view large. */
  onOpen: (card: Card) => void;
}

function figures(card: Card, model: ModelInfo | undefined): HTMLElement {
  const { image, plan, problem } = card;
  const kind = image.probe ? image.probe.format.toUpperCase() : image.mediaType;
  const rows: [term: string, value: string, field: string][] = [
    [
      'Original',
      image.probe
        ? `${formatInt(image.probe.width)} × ${formatInt(image.probe.height)} px`
        : 'unreadable header',
      'original',
    ],
    ['File', `${formatBytes(image.size)} · ${kind}`, 'file'],
  ];
  if (plan && !problem) {
    rows.push(
      ['Model view', `${plan.viewWidth} × ${plan.viewHeight} px`, 'view'],
      ['Padded', `${plan.canvasWidth} × ${plan.canvasHeight} px`, 'canvas'],
      ['Tokens', formatInt(plan.tokens), 'tokens'],
      ['Cost', model ? formatUsd(card.cost) : '–', 'cost'],
    );
  } else if (problem) {
    // a rejected image is not sent: no tokens, no cost
    rows.push(['Tokens', card.repairable ? 'known after repair' : 'none: not accepted', 'tokens']);
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
          {
            dataset: {
              field,
              ...(field === 'tokens' && plan && !problem ? { tokens: String(plan.tokens) } : {}),
            },
          },
          value,
        ),
      ),
    ),
  );
}

function problemBox(card: Card & { problem: string }, options: CardOptions): HTMLElement {
  const { summary, fix, api } = describeProblem(card, card.problem, options);
  if (card.repairable) {
    return h(
      'div',
      { class: 'image-problem repairable', role: 'status', dataset: { problem: 'repairable' } },
      h('p', { class: 'problem-summary' }, summary),
      h('p', { class: 'problem-fix' }, 'Sightline’s repair mode will fix it before the model sees it.'),
    );
  }
  return h(
    'div',
    { class: 'image-problem', role: 'alert', dataset: { problem: card.problemSource ?? 'page' } },
    h('p', { class: 'problem-summary' }, summary),
    fix ? h('p', { class: 'problem-fix' }, h('strong', {}, 'Fix: '), fix) : null,
    h('p', { class: 'problem-api hint' }, `The API’s message: ${api}`),
  );
}

const facts = (image: RepairedImageFacts) =>
  `${formatInt(image.width)} × ${formatInt(image.height)} px, ${formatBytes(image.bytes)} ${image.media_type.replace('image/', '').toUpperCase()}`;

/** What the server's repair mode changed (usage.sightline.repairs). */
function repairLine(repair: RepairReport): HTMLElement {
  const action = repair.action.replaceAll('_', ' ');
  return h(
    'p',
    { class: 'image-repair hint', dataset: { repair: repair.action } },
    h('strong', {}, `Repaired by Sightline: ${action}. `),
    repair.after
      ? `${facts(repair.before)} → ${facts(repair.after)}. `
      : `${facts(repair.before)}, left out. `,
    repair.reason,
  );
}

/** Renders image cards into `box`. */
export function renderImageCards(box: HTMLElement, cards: readonly Card[], options: CardOptions): void {
  const { model, onRemove, onOpen, showModelView, compact } = options;
  box.replaceChildren(
    ...cards.map((card) => {
      const { image, number, plan, problem } = card;
      const open = plan && !problem ? () => onOpen(card) : undefined;
      let thumb: HTMLElement;
      if (showModelView && plan && !problem) {
        thumb = createModelThumb({ image, number, plan }, () => onOpen(card));
      } else {
        const img = h('img', {
          src: image.url,
          alt: `Image ${number}: ${image.name}`,
          decoding: 'async',
          onerror: () => img.replaceWith(h('span', { class: 'no-preview' }, 'No preview')),
        });
        thumb = open
          ? h(
              'button',
              {
                type: 'button',
                class: 'thumb-button',
                'aria-label': `Open the model view of Image ${number} (${image.name})`,
                onclick: open,
              },
              img,
            )
          : img;
      }
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
          class: `image-card${problem && !card.repairable ? ' rejected' : ''}${compact ? ' compact' : ''}`,
          dataset: { imageId: image.id, number: String(number) },
          'aria-label': `Image ${number}`,
        },
        h(
          'figcaption',
          { class: 'image-head' },
          h('span', { class: 'image-label' }, `Image ${number}:`),
          h('span', { class: 'image-name', title: image.name }, image.name),
          onRemove
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'icon-button',
                  'aria-label': `Remove Image ${number} (${image.name})`,
                  title: 'Remove image',
                  onclick: () => onRemove(image),
                },
                '×',
              )
            : null,
        ),
        h('div', { class: 'thumb' }, thumb),
        compact ? null : figures(card, model),
        compact && plan && !problem
          ? h(
              'p',
              { class: 'figure-line hint' },
              h(
                'span',
                { dataset: { field: 'tokens', tokens: String(plan.tokens) } },
                `${formatInt(plan.tokens)} tokens`,
              ),
              model ? ` · ${formatUsd(card.cost)}` : '',
            )
          : null,
        upload,
        image.uploadError
          ? h('p', { class: 'image-problem', role: 'alert' }, `Upload failed: ${image.uploadError.message}`)
          : null,
        problem ? problemBox({ ...card, problem }, options) : null,
        card.repair ? repairLine(card.repair) : null,
      );
    }),
  );
}
